"""The seam between export and the email renderer.

Every exporter, the simulator and test sends take a `RenderFn`; none renders by itself.
`default_render()` is the one place that picks the renderer: seqstudio.core.render's layouts,
inlined, with the plain-text part.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

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
