"""The seam between export and the email renderer.

Every exporter, the simulator and test sends take a `RenderFn`; none renders by itself.
`default_render()` is the one place that picks the renderer: today the interim renderer below,
later `seqstudio.core.render` (swap the body of `default_render`, nothing else).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jinja2.sandbox
from markdown_it import MarkdownIt

from seqstudio.core.model import Sequence, Step

MergeFields = Mapping[str, str]


@dataclass(frozen=True)
class RenderedEmail:
    """One email as it is sent: merge tags filled (or kept, for ESP exports), HTML and text parts."""

    subject: str
    preheader: str
    html: str
    text: str


# (sequence, step, merge fields) -> email. Fields None: keep merge tags for the ESP to fill.
RenderFn = Callable[[Sequence, Step, MergeFields | None], RenderedEmail]


def default_render() -> RenderFn:
    """The renderer exports use unless a caller passes its own: core.render's layouts, inlined,
    with the plain-text part. One Renderer per call of default_render (it is not thread-safe)."""
    from seqstudio.core.render.layouts import Contact
    from seqstudio.core.render.pipeline import Renderer

    renderer = Renderer()

    def render(sequence: Sequence, step: Step, fields: MergeFields | None = None) -> RenderedEmail:
        contact = Contact("export", "export", dict(fields)) if fields is not None else None
        email = renderer.render_email(
            step.email,
            brand=sequence.brand,
            language=sequence.language,
            contact=contact,
            position=step.position,
            keep_tags=fields is None,
            unsubscribe_url=(fields or {}).get("unsubscribe_url", "{{ unsubscribe_url }}"),
        )
        return RenderedEmail(email.subject, email.preheader, email.html, email.text)

    return render


_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_TAGS = jinja2.sandbox.SandboxedEnvironment(autoescape=False, undefined=jinja2.ChainableUndefined)


def _fill(text: str, fields: MergeFields | None) -> str:
    if fields is None:
        return text
    try:
        return _TAGS.from_string(text).render(**fields)
    except jinja2.TemplateError:
        return text  # a broken tag is the renderer's checks' business, not a reason to fail a send


def interim_render(sequence: Sequence, step: Step, fields: MergeFields | None = None) -> RenderedEmail:
    """INTERIM renderer until core.render lands: Markdown to plain HTML (no layout, no inlining),
    with the CTA as a link, the postal address and an unsubscribe line; the text part mirrors it."""
    email, brand = step.email, sequence.brand
    body = _fill(email.body, fields)
    unsubscribe = (fields or {}).get("unsubscribe_url", "{{ unsubscribe_url }}")
    parts = [
        f'<div style="display:none">{html.escape(_fill(email.preheader, fields))}</div>',
        _MARKDOWN.render(body),
    ]
    text_parts = [body.strip()]
    if email.cta.label and email.cta.url:
        label, url = _fill(email.cta.label, fields), _fill(email.cta.url, fields)
        parts.append(f'<p><a href="{html.escape(url, quote=True)}">{html.escape(label)}</a></p>')
        text_parts.append(f"{label}: {url}")
    footer = [brand.postal_address] if brand.postal_address else []
    parts.append(
        "<p>"
        + "<br>".join(html.escape(line) for line in footer)
        + ("<br>" if footer else "")
        + f'<a href="{html.escape(unsubscribe, quote=True)}">Unsubscribe</a></p>'
    )
    text_parts.append("\n".join([*footer, f"Unsubscribe: {unsubscribe}"]))
    subject = _fill(email.subject, fields)
    page = (
        f'<!DOCTYPE html>\n<html lang="{html.escape(sequence.language)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>\n<body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
    return RenderedEmail(subject, _fill(email.preheader, fields), page, "\n\n".join(text_parts) + "\n")
