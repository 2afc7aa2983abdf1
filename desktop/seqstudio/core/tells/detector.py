"""The compiled matcher: flags per block (for a QSyntaxHighlighter) and a score per document.

Build one `Detector` per rule set (compiling costs 100-250 ms) and reuse it, passing a brand's
allow-list per call rather than building another; it holds no mutable state, so one instance may
serve several threads. Two entry points:

* `flags_for_block(text)`: phrase and regex rules on one paragraph or editor block, offsets
  relative to the block. Cheap enough for every keystroke; never looks at other blocks.
  (How: see patterns.py; one RE2 set pass finds which rule anchors occur, `re` does the rest.)
* `analyse(text)`: the whole email: the same flags with document offsets, document-level rules
  (uniform sentence length, emoji and dash density), the word count and the tell density.
  Phrases never match across a blank line, so its span flags are those of each paragraph.

Tell density = 100 × (sum of the severities of all flags) / max(words, DENSITY_MIN_WORDS).
The floor keeps a one-flag subject line from scoring like a page of tells.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import NamedTuple, cast

import re2

from seqstudio.core.tells.anchors import AnchorFinder, Hit, Target
from seqstudio.core.tells.native import KERNELS
from seqstudio.core.tells.patterns import Anchor, CompiledRule, compile_rule, re2_guide, re2_prefilter
from seqstudio.core.tells.rules import Allowances, Rule, RuleSet
from seqstudio.core.tells.sentences import RATE_COUNTS, document_measures

DENSITY_MIN_WORDS = 50
# The density at or above which an email reads machine-written: chosen on the tune split of the
# dev set (benchmarks/tells_quality.py); one mild flag in a short note stays under it.
SHIPPING_THRESHOLD = 2.5
_new_tuple = tuple.__new__
_SEVERITY = operator.attrgetter("severity")  # a C-level loop in sum(), not a generator
# A word and up to three spaces or punctuation marks after it, written backwards: matched against
# the reversed text before a flag, it finds the word `_start_back` moves over (see there).
_WORD_BEFORE_REVERSED = re.compile(r"[^\w\n]{0,3}[\w'’-]*[^\W_]")


class Flag(NamedTuple):
    """One flagged passage. For a document rule, start..end spans the whole text and `text` is ''.

    An immutable value like the core's frozen dataclasses, but a NamedTuple: an email can have
    dozens of flags per keystroke-triggered pass, and a tuple is several times cheaper to build.
    """

    rule_id: str
    category: str
    start: int
    end: int
    text: str
    severity: int
    why: str
    suggestions: tuple[str, ...] = ()
    scope: str = "span"  # or "document"

    @property
    def suggestion(self) -> str:
        return self.suggestions[0] if self.suggestions else ""

    def shifted(self, offset: int) -> Flag:
        return self._replace(start=self.start + offset, end=self.end + offset)


@dataclass(frozen=True)
class Analysis:
    """The result for one document. `measures` holds the document-level figures by measure name."""

    words: int
    flags: tuple[Flag, ...]
    tell_density: float
    measures: dict[str, float]

    @property
    def flagged(self) -> bool:
        return self.tell_density >= SHIPPING_THRESHOLD


def tell_density(flags: Iterable[Flag], words: int) -> float:
    """Severity-weighted flags per 100 words, with words floored at DENSITY_MIN_WORDS."""
    severities: int = sum(map(_SEVERITY, flags))
    return 100.0 * severities / max(words, DENSITY_MIN_WORDS)


class Detector:
    """Compiled rules of one RuleSet. Build once, call many times; do not mutate its attributes."""

    def __init__(self, rule_set: RuleSet, *, kernels: ModuleType | None = KERNELS) -> None:
        """`kernels`: the C kernels (native.py) or None for the pure-Python twins (same results)."""
        self.rule_set = rule_set
        self._kernels = kernels
        active = rule_set.active_rules()
        self._rules: tuple[CompiledRule, ...] = tuple(
            compile_rule(r) for r in active if not r.is_document_rule
        )
        self._document_rules: tuple[Rule, ...] = tuple(r for r in active if r.is_document_rule)
        by_anchor: dict[Anchor, list[Target]] = {}
        for index, compiled in enumerate(self._rules):
            for anchor, regex in compiled.anchored:
                by_anchor.setdefault(anchor, []).append((index, regex))
        entries = [(anchor.text, anchor.first, tuple(targets)) for anchor, targets in by_anchor.items()]
        self._anchors = AnchorFinder(entries, kernels)
        # Scanning rules (no anchors): one RE2 set pass says which could match at all; rules
        # whose regex has no safe RE2 form (lookarounds) always scan.
        options = re2.Options()
        options.log_errors = False  # a regex without an RE2 form is expected (it always scans)
        self._scan_set = re2.Set.SearchSet(options)
        prefiltered: list[int] = []
        always: list[int] = []
        for index, compiled in enumerate(self._rules):
            if compiled.anchored:
                continue
            wider = re2_prefilter(compiled.rule.regex)
            try:
                if wider is None:
                    raise re2.error("no safe RE2 form")
                self._scan_set.Add(("(?m)" if compiled.rule.case_sensitive else "(?mi)") + wider)
            except re2.error:
                always.append(index)
            else:
                prefiltered.append(index)
        self._scan_set.Compile()
        # Per rule index, for scanning rules: an RE2 regex that finds where in an ASCII text the
        # next match can start, so `re` does not try the rule at every comma before it.
        self._guides = tuple(
            re2_guide(c.rule.regex, c.rule.case_sensitive) if not c.anchored and not c.rule.phrases else None
            for c in self._rules
        )
        self._prefiltered = tuple(prefiltered)
        self._always_scanning = tuple(always)
        self._allowances = rule_set.allowances
        # What a flag of each rule carries, looked up by rule index once per hit.
        self._flag_parts = tuple(
            (
                c.rule.id,
                c.rule.category,
                c.rule.severity,
                c.rule.why,
                c.rule.suggestions,
                c.rule.extend_back_words,
            )
            for c in self._rules
        )

    @property
    def language(self) -> str:
        return self.rule_set.language

    def flags_for_block(self, text: str, allow: Allowances | None = None) -> list[Flag]:
        """Flags of phrase and regex rules in `text`, offsets relative to it, sorted by start.

        Safe to call from any thread. Never includes document-level flags (see `analyse`).
        A rule never reports two overlapping passages; different rules may overlap, but a flag
        inside another of at least its severity is left out. `allow` (a brand's allow-list, the
        user's "ignore") applies on top of the rule set's own allowances without recompiling.
        """
        if not text or text.isspace():
            return []
        return self._span_flags(text, text.encode("utf-8"), allow)

    def _span_flags(self, text: str, data: bytes, allow: Allowances | None) -> list[Flag]:
        """`flags_for_block` of a text that is not blank, given also in UTF-8 as `data` (the RE2
        sets read bytes; passing them saves encoding the text once per set)."""
        hits = self._anchors.hits(text, flat_form(text, data, self._kernels), data)
        ascii_text = len(data) == len(text)  # then byte offsets are str offsets
        # The stubs declare `bool | None`; RE2 returns the indexes of the patterns found, or None.
        matched = cast("list[int] | None", self._scan_set.Match(data)) if self._prefiltered else None
        scanning = [*self._always_scanning, *(self._prefiltered[i] for i in matched or ())]
        if not hits and not scanning:
            return []
        rules = self._rules
        for index in scanning:
            guide = self._guides[index] if ascii_text else None
            spans = _guided_finditer(rules[index].regex, guide, text, data) if guide is not None else None
            if spans is None:
                hits.extend(
                    (index, m.start(), -m.end())
                    for m in rules[index].regex.finditer(text)
                    if m.end() > m.start()
                )
            else:
                hits.extend((index, start, -end) for start, end in spans)
        return self._flags_from(
            text, hits, self._allowances if allow is None else self._allowances.merged(allow)
        )

    def _flags_from(self, text: str, hits: list[Hit], allowances: Allowances) -> list[Flag]:
        """Flags from (rule index, start, -end) hits: allowed phrases dropped, and of a rule's
        overlapping hits only the first (the longest, when two start together)."""
        if self._kernels is not None:
            allows_text = allowances.allows_text if allowances.phrases else None
            return cast(
                "list[Flag]",
                self._kernels.flags_from(
                    text, hits, self._flag_parts, allowances.rule_ids or None, allows_text, _start_back, Flag
                ),
            )
        hits.sort()
        parts = self._flag_parts
        skipped, phrases = allowances.rule_ids, allowances.phrases
        nesting: list[tuple[int, int, int, str, Flag]] = []
        last_index, last_end = -1, -1
        for index, start, negative_end in hits:
            rule_id, category, severity, why, suggestions, back = parts[index]
            if skipped and rule_id in skipped:
                continue
            if back:
                start = _start_back(text, start, back)
            if index == last_index and start < last_end:
                continue
            end = -negative_end
            found = text[start:end]
            if phrases and allowances.allows_text(found):
                continue
            last_index, last_end = index, end
            # tuple.__new__ skips the NamedTuple's Python-level __new__: same value, built faster.
            flag = _new_tuple(
                Flag, (rule_id, category, start, end, found, severity, why, suggestions, "span")
            )
            nesting.append((start, negative_end, -severity, rule_id, flag))
        return _without_nested(nesting)

    def document_flags(
        self, text: str, allow: Allowances | None = None, data: bytes | None = None
    ) -> tuple[list[Flag], dict[str, float]]:
        """Document-level rules and the measures they looked at (see `document_measures`);
        `data`, if given, must be `text` in UTF-8."""
        measures = document_measures(text, data, kernels=self._kernels)
        flags: list[Flag] = []
        skipped = allow.rule_ids if allow is not None else frozenset()
        for rule in self._document_rules:
            if rule.id in skipped:
                continue
            if measures["sentences"] < rule.min_sentences or measures["words"] < rule.min_words:
                continue
            if rule.min_count and measures[RATE_COUNTS[rule.measure]] < rule.min_count:
                continue
            value = measures[rule.measure]
            if (value < rule.threshold) if rule.below else (value >= rule.threshold):
                flags.append(
                    Flag(
                        rule.id,
                        rule.category,
                        0,
                        len(text),
                        "",
                        rule.severity,
                        rule.why,
                        rule.suggestions,
                        "document",
                    )
                )
        return flags, measures

    def analyse(self, text: str, allow: Allowances | None = None) -> Analysis:
        """Everything about one email's text: all flags, the word count and the tell density.
        `allow` as in `flags_for_block`."""
        data = text.encode("utf-8")
        flags = [] if not text or text.isspace() else self._span_flags(text, data, allow)
        document, measures = self.document_flags(text, allow, data)
        flags.extend(document)
        words = int(measures["words"])
        return Analysis(words, tuple(flags), tell_density(flags, words), measures)


def _guided_finditer(
    regex: re.Pattern[str], guide: re2._Regexp[bytes], text: str, data: bytes
) -> list[tuple[int, int]] | None:
    """The spans of `regex.finditer(text)`, for an ASCII `text` given also as `data`, with `re`
    tried only where `guide` (see `re2_guide`) finds a match can start; or None if `regex`
    matches the empty string (finditer's rules for that are not worth copying). `re` matches
    there rather than searching on: after a false start the guide finds the next one in one
    linear pass, where `re` would try the whole pattern at every comma on the way."""
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        start = guide_start(guide, data, position)
        if start < 0:
            return spans
        found = regex.match(text, start)
        if found is None:
            position = start + 1
        elif found.end() == found.start():
            return None
        else:
            spans.append(found.span())
            position = found.end()


# google-re2's matcher itself, under its Python wrapper (see `guide_start`); None if a release
# moves it, and then the wrapper is used.
_UNANCHORED = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)


def guide_start(guide: re2._Regexp[bytes], data: bytes, position: int) -> int:
    """Where `guide` next matches in `data` from `position`, or -1. Asks RE2's matcher directly
    when the wrapper exposes it: the wrapper's `search` builds a generator and a match object per
    call, 1.5 of the 2.9 us a guide costs on a 1,400-character email."""
    matcher = getattr(guide, "_regexp", None)
    if matcher is not None and _UNANCHORED is not None:
        return int(matcher.Match(_UNANCHORED, data, position, len(data))[0][0])
    found = guide.search(data, position)
    return -1 if found is None else found.start()


def flat_form(text: str, data: bytes, kernels: ModuleType | None = None) -> str:
    """`text` as anchors are looked for in it, offsets unchanged: lower case (unless that would
    change its length), straight apostrophes, no-break and tab spaces as spaces, and one line
    break between words as a space (phrases may wrap) while blank lines stay. `data` is `text`
    in UTF-8 (when their lengths differ, the text is beyond ASCII). `kernels` do it in one pass."""
    if kernels is not None:
        return cast(str, kernels.flat_form(text, text.lower()))
    flat = text.lower()
    if len(flat) != len(text):  # a few letters change length when lower-cased
        flat = text
    if len(data) != len(text):  # only a text beyond ASCII can hold these
        flat = flat.replace("’", "'").replace("ʼ", "'")
        for space in ("\u2028", "\u00a0"):  # Qt's soft line break (Shift+Enter), no-break space
            if space in flat:
                flat = flat.replace(space, " ")
    flat = flat.replace("\t", " ")
    if "\n" in flat:
        if "\n\n" in flat or "\0" in flat:  # (a NUL pair in the text ends up as a blank line too)
            flat = flat.replace("\n\n", "\0\0").replace("\n", " ").replace("\0\0", "\n\n")
        else:
            flat = flat.replace("\n", " ")
    return flat


def _without_nested(nesting: list[tuple[int, int, int, str, Flag]]) -> list[Flag]:
    """Flags sorted by start, without any that lie inside a kept flag of the same or higher
    severity ("Unlock" inside "Unlock the full potential"), so one passage is not counted twice.
    Takes (start, -end, -severity, rule id, flag): their natural order is the order wanted, and no
    two are equal (one rule never keeps two hits on one span)."""
    nesting.sort()
    kept: list[Flag] = []
    cover_end, cover_severity = -1, 0
    for _start, negative_end, negative_severity, _rule_id, flag in nesting:
        if -negative_end <= cover_end and -negative_severity <= cover_severity:
            continue
        kept.append(flag)
        if -negative_end > cover_end:
            cover_end, cover_severity = -negative_end, -negative_severity
    return kept


def _start_back(text: str, start: int, words: int) -> int:
    """`start` moved back over up to `words` words (and the spaces or punctuation after each):
    each step to the leftmost i at most 60 characters back where text[i:start] is a letter or
    digit, then letters, digits, apostrophes or hyphens, then up to three marks that are neither
    a word character nor a line break. Matched forwards on the reversed 60 characters, because
    searching the text for that pattern ending at `start` tries it from every position before."""
    for _ in range(words):
        found = _WORD_BEFORE_REVERSED.match(text[max(0, start - 60) : start][::-1])
        if not found:
            break
        start -= found.end()
    return start
