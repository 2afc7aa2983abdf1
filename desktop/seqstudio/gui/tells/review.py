"""What the tells panel shows, computed from an immutable snapshot on a worker thread (no Qt here).

One pass lints all six emails of a sequence (the open step as the editor shows it), so the panel,
the per-email scores and the sequence's worst passages always come from the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from seqstudio.core.drafting import OfflineDrafter, make_client
from seqstudio.core.drafting.errors import NeedsModelError
from seqstudio.core.drafting.settings import ProviderSettings
from seqstudio.core.errors import StudioError
from seqstudio.core.model import Email, Sequence
from seqstudio.core.preferences import TellPreferences
from seqstudio.core.secrets import SecretStore
from seqstudio.core.tells import Allowances, Detector, Flag, LintReport, lint_email, sequence_density
from seqstudio.core.tells.brandwords import BrandWords
from seqstudio.core.tells.readability import LongSentence, long_sentences

REWRITE_TASK = "Rewriting a passage"


@dataclass(frozen=True)
class FlagRef:
    """A flag placed in a sequence: which step, which field; offsets count in that field's text."""

    sequence_id: str
    step_id: str
    position: int
    field: str  # subject | preheader | body
    flag: Flag

    @property
    def is_passage(self) -> bool:
        return self.flag.scope == "span" and bool(self.flag.text)


@dataclass(frozen=True)
class EmailReview:
    step_id: str
    position: int
    report: LintReport
    flags: tuple[FlagRef, ...]
    long_sentences: tuple[LongSentence, ...]  # in the body's text

    @property
    def density(self) -> float:
        return self.report.tell_density


@dataclass(frozen=True)
class SequenceReview:
    sequence_id: str
    language: str
    emails: tuple[EmailReview, ...]
    density: float
    target_grade: float

    def email(self, position: int) -> EmailReview | None:
        return next((e for e in self.emails if e.position == position), None)

    def worst(self, limit: int = 12) -> list[FlagRef]:
        """Passages across all emails, strongest first; ties go to the denser email, then order."""
        density = {e.position: e.density for e in self.emails}
        passages = [ref for e in self.emails for ref in e.flags if ref.is_passage]
        passages.sort(key=lambda r: (-r.flag.severity, -density[r.position], r.position, r.flag.start))
        return passages[:limit]


def review_sequence(
    sequence: Sequence,
    detector: Detector,
    allowances: Mapping[str, Allowances],
    preferences: TellPreferences,
) -> SequenceReview:
    """Lint every email of `sequence`; `allowances` maps step id to what that step lets pass.
    The brand's words to avoid are listed with the tells but stay out of every density."""
    emails: list[EmailReview] = []
    brand_words = BrandWords.of(sequence.brand)
    for step in sorted(sequence.steps, key=lambda s: s.position):
        allow = allowances.get(step.id, Allowances())
        report = lint_email(
            step.email, detector, target_grade=preferences.target_grade, allow=allow, brand_words=brand_words
        )
        refs = tuple(
            FlagRef(sequence.id, step.id, step.position, field, flag) for field, flag in report.flags()
        )
        body_long = long_sentences(step.email.body, preferences.long_sentence_words)
        emails.append(EmailReview(step.id, step.position, report, refs, body_long))
    return SequenceReview(
        sequence.id,
        detector.language,
        tuple(emails),
        sequence_density(e.report for e in emails),
        preferences.target_grade,
    )


def with_field(email: Email, field: str, text: str) -> Email:
    """`email` with one of its linted fields (subject, preheader, body) set to `text`."""
    if field == "subject":
        return replace(email, subject=text)
    if field == "preheader":
        return replace(email, preheader=text)
    if field == "body":
        return replace(email, body=text)
    raise ValueError(f"not a text field of an email: {field}")


def rewrite_blocker(provider: ProviderSettings, secrets: SecretStore) -> str:
    """Why "Rewrite this passage" cannot run now ('' when a model is set up). Reads the keyring:
    call it off the GUI thread."""
    try:
        client = make_client(provider, secrets)
    except StudioError as error:
        return error.user_message
    if isinstance(client, OfflineDrafter):
        return NeedsModelError(REWRITE_TASK).user_message
    return ""


def locate(text: str, passage: str, start: int) -> int | None:
    """Where `passage` is in `text` now: at `start` if still there, else its only occurrence;
    None when it changed or is ambiguous (then nothing may be replaced)."""
    if not passage:
        return None
    if text[start : start + len(passage)] == passage:
        return start
    first = text.find(passage)
    if first >= 0 and text.find(passage, first + 1) < 0:
        return first
    return None


def utf16_index(text: str, index: int) -> int:
    """A Python index into `text` as the UTF-16 position Qt uses (emoji count twice there)."""
    if text.isascii():
        return index
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def python_index(text: str, position: int) -> int:
    """A Qt (UTF-16) position in `text` as a Python index."""
    if text.isascii():
        return position
    units = 0
    for index, ch in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
