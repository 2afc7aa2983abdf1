"""One report per input (a file, an email, a flow): flags per part, tell density, readability.

The CLI prints it (as text or JSON) and the GUI can show it per email and per sequence. The JSON
shape is the one `seqstudio lint --json` documents: start and end of a flag count characters in
the text of its part (`field`; '' for a whole file), after HTML has been reduced to visible text
(HTML with a hidden preheader has two parts: `preheader` and `body`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from seqstudio.core.model import Email
from seqstudio.core.tells.brandwords import BrandWords, with_brand_flags
from seqstudio.core.tells.detector import SHIPPING_THRESHOLD, Analysis, Detector, Flag, tell_density
from seqstudio.core.tells.readability import LongSentence, Readability, readability
from seqstudio.core.tells.rules import Allowances
from seqstudio.core.tells.textextract import EMAIL_FIELDS, Part

PART_SEPARATOR = "\n\n"  # between parts in the text the reading grade reads


@dataclass(frozen=True)
class PartReport:
    field: str
    text: str
    analysis: Analysis  # the tells: what every density counts
    brand_flags: tuple[Flag, ...] = ()  # the brand's words to avoid (brandwords.py), never counted

    @property
    def flags(self) -> list[Flag]:
        """The tells and the brand's words to avoid that no tell covers, in the detector's order."""
        return with_brand_flags(list(self.analysis.flags), list(self.brand_flags))


@dataclass(frozen=True)
class LintReport:
    """Everything found in one input. `tell_density` counts all parts' flags over all their words."""

    source: str
    language: str
    parts: tuple[PartReport, ...]
    words: int
    tell_density: float
    readability: Readability

    @property
    def flagged(self) -> bool:
        """Whether the input as a whole reads machine-written (density at the shipping threshold)."""
        return self.tell_density >= SHIPPING_THRESHOLD

    def flags(self) -> Iterable[tuple[str, Flag]]:
        """(field, flag) of every part: tells and the brand's words to avoid."""
        for part in self.parts:
            for flag in part.flags:
                yield part.field, flag

    def tell_flags(self) -> Iterable[Flag]:
        """The tells alone, as the densities count them."""
        for part in self.parts:
            yield from part.analysis.flags

    def long_sentences(self) -> list[tuple[str, LongSentence]]:
        """(field, sentence) of each very long sentence, offsets in that field's text as a flag's:
        the grade reads all parts joined by blank lines, and no sentence spans a blank line."""
        found: list[tuple[str, LongSentence]] = []
        offset, index = 0, 0
        for sentence in self.readability.long_sentences:
            while index < len(self.parts) and sentence.start >= offset + len(self.parts[index].text):
                offset += len(self.parts[index].text) + len(PART_SEPARATOR)
                index += 1
            if index == len(self.parts):
                break
            field = self.parts[index].field
            found.append((field, replace(sentence, start=sentence.start - offset, end=sentence.end - offset)))
        return found

    def as_dict(self) -> dict[str, object]:
        """The JSON object of `seqstudio lint --json` for this input."""
        readability = self.readability.as_dict()
        readability["long_sentences"] = [
            {"field": field, "start": s.start, "end": s.end, "words": s.words}
            for field, s in self.long_sentences()
        ]
        return {
            "path": self.source,
            "language": self.language,
            "words": self.words,
            "tell_density": round(self.tell_density, 2),
            "flagged": self.flagged,
            "flags": [_flag_dict(field, flag) for field, flag in self.flags()],
            "readability": readability,
            "parts": [
                {
                    "field": p.field,
                    "words": p.analysis.words,
                    "tell_density": round(p.analysis.tell_density, 2),
                }
                for p in self.parts
            ],
        }


def _flag_dict(field: str, flag: Flag) -> dict[str, object]:
    return {
        "rule": flag.rule_id,
        "category": flag.category,
        "field": field,
        "scope": flag.scope,
        "start": flag.start,
        "end": flag.end,
        "text": flag.text,
        "severity": flag.severity,
        "why": flag.why,
        "suggestion": flag.suggestion,
    }


def lint_parts(
    parts: Sequence[Part],
    detector: Detector,
    *,
    source: str,
    target_grade: float | None = None,
    allow: Allowances | None = None,
    brand_words: BrandWords | None = None,
) -> LintReport:
    """Analyse each part with `detector` (minus what `allow` allows), and the readability of all
    parts together; `brand_words` adds the brand's words to avoid, outside every density."""
    reports = tuple(
        PartReport(
            p.field,
            p.text,
            detector.analyse(p.text, allow),
            tuple(brand_words.flags_for_block(p.text, allow)) if brand_words is not None else (),
        )
        for p in parts
    )
    words = sum(r.analysis.words for r in reports)
    flags = [f for r in reports for f in r.analysis.flags]
    joined = PART_SEPARATOR.join(p.text for p in parts)
    grade = readability(joined, detector.language, target_grade=target_grade)
    return LintReport(source, detector.language, reports, words, tell_density(flags, words), grade)


def lint_email(
    email: Email,
    detector: Detector,
    *,
    target_grade: float | None = None,
    allow: Allowances | None = None,
    source: str = "",
    brand_words: BrandWords | None = None,
) -> LintReport:
    """The report for one email of a sequence: its subject, preheader and body as parts."""
    parts = [Part(name, getattr(email, name)) for name in EMAIL_FIELDS if getattr(email, name)]
    return lint_parts(
        parts, detector, source=source, target_grade=target_grade, allow=allow, brand_words=brand_words
    )


def sequence_density(reports: Iterable[LintReport]) -> float:
    """The tell density of a whole sequence: all flags of its emails over all their words."""
    reports = list(reports)
    words = sum(r.words for r in reports)
    return tell_density((f for r in reports for f in r.tell_flags()), words)
