"""The pre-send checks of an email file this app did not make: an HTML file, inlined as it would
be sent, or a saved message (.eml), checked as it was sent. `seqstudio check` and the window's
File ▸ Check an email file… both run this; neither measures mobile-overflow here (that needs a
web engine, which each brings its own way)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seqstudio.core.errors import StudioError
from seqstudio.core.render.checks import Check, EmailChecker, text_part_missing
from seqstudio.core.render.htmlsource import read_email_file
from seqstudio.core.render.inline import Inliner
from seqstudio.core.tells.textextract import guess_language, html_visible_text

# Files people point `check` at by mistake, and what to do with each instead.
NOT_EMAILS = {
    ".yaml": "a flow file: `seqstudio render` it, then check its step-N.html",
    ".yml": "a flow file: `seqstudio render` it, then check its step-N.html",
    ".json": "a flow file or data: `seqstudio render` a flow file, then check its step-N.html",
    ".md": "Markdown: `seqstudio lint` reads text and Markdown",
    ".markdown": "Markdown: `seqstudio lint` reads text and Markdown",
    ".txt": "plain text: `seqstudio lint` reads text and Markdown",
}


@dataclass(frozen=True)
class CheckedFile:
    path: Path
    source: str  # the HTML as read
    html: str  # as sent: inlined for an HTML file, as it is for a message
    display_html: str  # what a preview draws: `html`, a message's cid: images as data: URLs
    text: str  # the plain-text part made from `html`
    subject: str | None  # --subject, else a message's own; None for an HTML file without one
    checks: tuple[Check, ...]


def check_email_file(
    path: Path,
    *,
    subject: str | None = None,
    checker: EmailChecker | None = None,
    inliner: Inliner | None = None,
) -> CheckedFile:
    """Read, inline (HTML files only) and check `path`. Raises StudioError, naming the file,
    when it cannot be read or inlined, or is a kind of file that is not an email."""
    kind = NOT_EMAILS.get(path.suffix.lower())
    if kind is not None:
        raise StudioError(f"{path} is {kind}, not an HTML email or a saved message (.html, .eml).")
    email = read_email_file(path)
    try:
        html = email.html if email.has_text_part is not None else (inliner or Inliner()).inline(email.html)
    except StudioError as error:
        raise StudioError(f"{path}: {error.user_message}", error.detail) from error
    # The fix the lang check suggests names the email's language: English or German, by its words.
    language = guess_language(html_visible_text(email.html))
    subject = subject if subject is not None else email.subject
    checked = (checker or EmailChecker()).check(html, subject=subject, language=language)
    return CheckedFile(
        path=path,
        source=email.html,
        html=html,
        display_html=html if email.has_text_part is None else email.html_for_display(),
        text=checked.text,
        subject=subject,
        checks=(*checked.checks, *text_part_missing(email.has_text_part)),
    )
