"""One email or a whole sequence from model values to what is sent: merge tags filled from a
sample contact, Markdown body in a layout, CSS inlined, plain-text part, checks.

Build one `Renderer` and keep it: it holds the compiled layouts, the Markdown parser, the
inliner and the caniemail data, which is what makes a re-render on every pause in typing cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from seqstudio.core.cancel import CancelToken, ProgressFn, no_progress
from seqstudio.core.model import Brand, Email, Sequence
from seqstudio.core.render.checks import Check, EmailChecker
from seqstudio.core.render.frames import EmailFields
from seqstudio.core.render.inline import HtmlInliner, Inliner
from seqstudio.core.render.layouts import Contact, LayoutRenderer, load_sample_contacts
from seqstudio.core.render.markdown_body import markdown_to_html
from seqstudio.core.render.sequence_checks import check_sequence

_MERGE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_TOKEN = re.compile(r"zqxtag(\d+)xqz")
UNSUBSCRIBE_TAG = "{{ unsubscribe_url }}"  # what an email platform fills with each contact's link


class _KeptTags:
    """Merge tags kept for an email platform to fill: swapped for inert tokens while Markdown,
    the layout and the inliner run (each would escape their quotes), then put back verbatim."""

    def __init__(self) -> None:
        self._tags: list[str] = []

    def protect(self, text: str) -> str:
        return _MERGE_TAG.sub(self._token, text)

    def _token(self, match: re.Match[str]) -> str:
        self._tags.append(match.group(0))
        return f"zqxtag{len(self._tags) - 1}xqz"

    def restore(self, text: str) -> str:
        return _TOKEN.sub(lambda match: self._tags[int(match.group(1))], text)


@dataclass(frozen=True)
class RenderedEmail:
    position: int  # the step's position, 0 for an email outside a sequence
    subject: str  # merge tags filled
    preheader: str
    source_html: str  # styles in <style>, as the layout wrote it
    html: str  # inlined: what is sent
    text: str  # the plain-text part
    checks: tuple[Check, ...]

    @property
    def bytes(self) -> int:
        return len(self.source_html.encode("utf-8"))

    @property
    def inlined_bytes(self) -> int:
        return len(self.html.encode("utf-8"))


@dataclass(frozen=True)
class RenderedSequence:
    emails: tuple[RenderedEmail, ...]
    checks: tuple[Check, ...]  # the sequence-level checks


class Renderer:
    """Renders emails. Not thread-safe (it caches compiled merge tags): one per worker thread."""

    def __init__(
        self,
        *,
        layouts: LayoutRenderer | None = None,
        checker: EmailChecker | None = None,
        inliner: HtmlInliner | None = None,
    ) -> None:
        self._layouts = layouts or LayoutRenderer()
        self._inliner = inliner or Inliner()
        self._checker = checker or EmailChecker()
        self._contacts: tuple[Contact, ...] | None = None

    @property
    def sample_contacts(self) -> tuple[Contact, ...]:
        if self._contacts is None:
            self._contacts = load_sample_contacts()
        return self._contacts

    def render_email(
        self,
        email: Email,
        *,
        brand: Brand,
        language: str = "en",
        layout: str = "branded",
        contact: Contact | None = None,
        position: int = 0,
        keep_tags: bool = False,
        unsubscribe_url: str | None = None,
    ) -> RenderedEmail:
        """Render, inline and check one email. Never raises on what a user typed: broken merge
        tags come back as template-tags checks. Raises LayoutError for an unknown layout.

        `keep_tags` leaves every {{ … }} and {% … %} as written, for an email platform to fill
        (exports); otherwise `contact` (default: the first sample contact) fills them.
        `unsubscribe_url` replaces the contact's, e.g. with the platform's own tag.
        """
        person = contact or self.sample_contacts[0]
        data = {"brand_name": brand.name, "from_name": brand.from_name or brand.name, **person.fields}
        problems: list[str] = []
        kept = _KeptTags()

        def fill(text: str) -> str:
            if keep_tags:
                return kept.protect(text)
            filled, problem = self._layouts.fill_tags(text, data)
            if problem:
                problems.append(problem)
            return filled

        subject, preheader = fill(email.subject), fill(email.preheader)
        unsubscribe = unsubscribe_url if unsubscribe_url is not None else person.unsubscribe_url
        fields = EmailFields(
            subject=subject,
            preheader=preheader,
            body_html=markdown_to_html(fill(email.body)),
            cta_label=fill(email.cta.label),
            cta_url=fill(email.cta.url),
        )
        frame = self._layouts.frame(
            layout,
            brand=brand,
            language=language,
            unsubscribe_url=kept.protect(unsubscribe) if keep_tags else unsubscribe,
            fields=fields,
        )
        values = fields.escaped()
        source = frame.source(values)
        framed = None
        if isinstance(self._inliner, Inliner):  # the frame inlined once, this email's block alone
            framed = self._inliner.inline_framed(
                frame, values, subject, preheader, cta=(fields.cta_label, fields.cta_url)
            )
        html = framed.html if framed is not None else self._inliner.inline(source)
        if keep_tags:
            source, html = kept.restore(source), kept.restore(html)
            subject, preheader = kept.restore(subject), kept.restore(preheader)
            framed = None  # its parts hold the tags' stand-ins: the checks read the whole email
        postal_address = brand.postal_address or None
        if framed is not None:  # the frame read once too, this email's block alone
            checked = self._checker.check_framed(
                framed,
                subject=subject,
                preheader=preheader,
                postal_address=postal_address,
                language=language,
                tag_problems=problems,
            )
        else:
            checked = self._checker.check(
                html, subject=subject, postal_address=postal_address, language=language, tag_problems=problems
            )
        return RenderedEmail(
            position=position,
            subject=subject,
            preheader=preheader,
            source_html=source,
            html=html,
            text=checked.text,
            checks=checked.checks,
        )

    def render_sequence(
        self,
        sequence: Sequence,
        *,
        today: date,
        layout: str = "branded",
        contact: Contact | None = None,
        keep_tags: bool = False,
        cancel: CancelToken | None = None,
        on_progress: ProgressFn = no_progress,
    ) -> RenderedSequence:
        """Every step in order plus the sequence checks; checks `cancel` between steps.
        `keep_tags`: as `render_email`, the unsubscribe link left as {{ unsubscribe_url }}."""
        steps = sorted(sequence.steps, key=lambda s: s.position)
        emails = []
        for done, step in enumerate(steps):
            if cancel is not None:
                cancel.raise_if_cancelled()
            on_progress(done, len(steps), f"Rendering step {step.position}")
            emails.append(
                self.render_email(
                    step.email,
                    brand=sequence.brand,
                    language=sequence.language,
                    layout=layout,
                    contact=contact,
                    position=step.position,
                    keep_tags=keep_tags,
                    unsubscribe_url=UNSUBSCRIBE_TAG if keep_tags else None,
                )
            )
        on_progress(len(steps), len(steps), "Rendered")
        return RenderedSequence(emails=tuple(emails), checks=tuple(check_sequence(sequence, today=today)))
