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
from typing import NamedTuple, cast

import re2

from seqstudio.core.tells.patterns import Anchor, CompiledRule, compile_rule, re2_guide, re2_prefilter
from seqstudio.core.tells.rules import Allowances, Rule, RuleSet
from seqstudio.core.tells.sentences import RATE_COUNTS, document_measures

DENSITY_MIN_WORDS = 50
# The density at or above which an email reads machine-written: chosen on the tune split of the
# dev set (benchmarks/tells_quality.py); one mild flag in a short note stays under it.
SHIPPING_THRESHOLD = 2.5
_SET_MEMORY = 64 << 20
_new_tuple = tuple.__new__
_SEVERITY = operator.attrgetter("severity")  # a C-level loop in sum(), not a generator
# A word and up to three spaces or punctuation marks after it, written backwards: matched against
# the reversed text before a flag, it finds the word `_start_back` moves over (see there).
_WORD_BEFORE_REVERSED = re.compile(r"[^\w\n]{0,3}[\w'’-]*[^\W_]")

# (anchor text, its first word if it has two, ((rule index, regex or None for a bare word), ...))
AnchorEntry = tuple[str, str, tuple[tuple[int, re.Pattern[str] | None], ...]]


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

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        active = rule_set.active_rules()
        self._rules: tuple[CompiledRule, ...] = tuple(
            compile_rule(r) for r in active if not r.is_document_rule
        )
        self._document_rules: tuple[Rule, ...] = tuple(r for r in active if r.is_document_rule)
        by_anchor: dict[Anchor, list[tuple[int, re.Pattern[str] | None]]] = {}
        for index, compiled in enumerate(self._rules):
            for anchor, regex in compiled.anchored:
                by_anchor.setdefault(anchor, []).append((index, regex))
        # One RE2 set tells in one linear pass over the text which anchors occur at all (its first
        # patterns, one per entry) and which scanning rules could match (the rest); only those are
        # then searched for and tried. Scanning rules whose regex has no safe RE2 form
        # (lookarounds) always scan. The memory budget is raised from RE2's 8 MB so the set's
        # automaton never runs out of room on a long text (a set then reports nothing at all);
        # a 950,000-character text needs far less.
        options = re2.Options()
        options.max_mem = _SET_MEMORY
        options.log_errors = False  # a regex without an RE2 form is expected (it always scans)
        self._set = re2.Set.SearchSet(options)
        entries: list[AnchorEntry] = []
        for anchor, targets in by_anchor.items():
            self._set.Add("(?i)" + r"[\s\pZ]+".join(_re2_literal(word) for word in anchor.text.split(" ")))
            entries.append((anchor.text, anchor.first, tuple(targets)))
        self._entries = tuple(entries)
        prefiltered: list[int] = []
        always: list[int] = []
        for index, compiled in enumerate(self._rules):
            if compiled.anchored:
                continue
            wider = re2_prefilter(compiled.rule.regex)
            try:
                if wider is None:
                    raise re2.error("no safe RE2 form")
                self._set.Add(("(?m)" if compiled.rule.case_sensitive else "(?mi)") + wider)
            except re2.error:
                always.append(index)
            else:
                prefiltered.append(index)
        self._set.Compile()
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
        # The stubs declare `bool | None`; RE2 returns the indexes of the patterns found, or None.
        matched = cast("list[int] | None", self._set.Match(data)) or []
        anchors = len(self._entries)
        entries = [self._entries[i] for i in matched if i < anchors]
        scanning = [
            *self._always_scanning,
            *(self._prefiltered[i - anchors] for i in matched if i >= anchors),
        ]
        if not entries and not scanning:
            return []
        flat = text.lower()
        if len(flat) != len(text):  # a few letters change length when lower-cased
            flat = text
        if len(data) != len(text):  # only a text beyond ASCII can hold these
            flat = flat.replace("’", "'").replace("ʼ", "'")
            for space in ("\u2028", "\u00a0"):  # Qt's soft line break (Shift+Enter), no-break space
                if space in flat:
                    flat = flat.replace(space, " ")
        flat = flat.replace("\t", " ")
        # One line break between words counts as a space (phrases may wrap); blank lines stay.
        if "\n" in flat:
            if "\n\n" in flat or "\0" in flat:  # (a NUL pair in the text ends up as a blank line too)
                flat = flat.replace("\n\n", "\0\0").replace("\n", " ").replace("\0\0", "\n\n")
            else:
                flat = flat.replace("\n", " ")
        # (rule index, start, -end): sorted as they are, a rule's hits come by start, longest first.
        hits: list[tuple[int, int, int]] = []
        append = hits.append
        find = flat.find
        length = len(flat)
        for anchor, _first, targets in entries:
            size = len(anchor)
            position = find(anchor)
            while position >= 0:
                if position == 0 or not flat[position - 1].isalnum():
                    for index, regex in targets:
                        if regex is None:  # a bare word: the find was the match, if the word ends here
                            end = position + size
                            if end == length or not flat[end].isalnum():
                                append((index, position, -end))
                        else:
                            found = regex.match(text, position)
                            if found is not None and found.end() > position:
                                append((index, position, -found.end()))
                position = find(anchor, position + 1)
        if "  " in flat:  # two-word anchors assume one space; look for the first word before a run too
            for _anchor, first, targets in entries:
                if not first:
                    continue
                position = find(first + "  ")
                while position >= 0:
                    if position == 0 or not flat[position - 1].isalnum():
                        for index, regex in targets:
                            found = regex.match(text, position) if regex is not None else None
                            if found is not None and found.end() > position:
                                append((index, position, -found.end()))
                    position = find(first + "  ", position + 1)
        rules = self._rules
        ascii_text = len(data) == len(text)  # then byte offsets are str offsets
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

    def _flags_from(self, text: str, hits: list[tuple[int, int, int]], allowances: Allowances) -> list[Flag]:
        """Flags from (rule index, start, -end) hits: allowed phrases dropped, and of a rule's
        overlapping hits only the first (the longest, when two start together)."""
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
        measures = document_measures(text, data)
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
    searching only from where `guide` (see `re2_guide`) finds the next match can start; or None
    if `regex` matches the empty string (finditer's rules for that are not worth copying)."""
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        start = guide.search(data, position)
        found = regex.search(text, start.start()) if start is not None else None
        if found is None:
            return spans
        if found.end() == found.start():
            return None
        spans.append(found.span())
        position = found.end()


def _re2_literal(word: str) -> str:
    """An anchor word for the RE2 prefilter: escaped, any apostrophe for a straight one."""
    return "['’ʼ]".join(re2.escape(part) for part in word.split("'"))


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
