"""The compiled matcher: flags per block (for a QSyntaxHighlighter) and a score per document.

Build one `Detector` per rule set (compiling costs a few milliseconds) and reuse it; it holds no
mutable state, so one instance may serve several threads. Two entry points:

* `flags_for_block(text)`: phrase and regex rules on one paragraph or editor block, offsets
  relative to the block. Cheap enough for every keystroke; never looks at other blocks.
* `analyse(text)`: the whole email: block flags with document offsets, document-level rules
  (uniform sentence length, emoji and dash density), word count and tell density.

Tell density = 100 × (sum of the severities of all flags) / max(words, DENSITY_MIN_WORDS).
The floor keeps a one-flag subject line from scoring like a page of tells.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from seqstudio.core.tells.patterns import CompiledRule, compile_rule, gate_words
from seqstudio.core.tells.rules import Rule, RuleSet
from seqstudio.core.tells.sentences import Sentence, count_dashes, count_emoji, count_words, split_sentences

DENSITY_MIN_WORDS = 50
RATE_MIN_WORDS = 100
# The density at or above which an email counts as "reads machine-written" (see benchmarks/).
SHIPPING_THRESHOLD = 2.0

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Flag:
    """One flagged passage. For a document rule, start..end spans the whole text and `text` is ''."""

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
        return Flag(
            self.rule_id, self.category, self.start + offset, self.end + offset, self.text,
            self.severity, self.why, self.suggestions, self.scope,
        )  # fmt: skip


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
    return 100.0 * sum(f.severity for f in flags) / max(words, DENSITY_MIN_WORDS)


class Detector:
    """Compiled rules of one RuleSet. Build once, call many times; do not mutate its attributes."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        active = rule_set.active_rules()
        self._span_rules: tuple[CompiledRule, ...] = tuple(
            compile_rule(r) for r in active if not r.is_document_rule
        )
        self._document_rules: tuple[Rule, ...] = tuple(r for r in active if r.is_document_rule)
        by_word: dict[str, list[int]] = {}
        fragments: list[tuple[str, int]] = []
        always: list[int] = []
        for index, compiled in enumerate(self._span_rules):
            for word in compiled.gate_words:
                by_word.setdefault(word, []).append(index)
            fragments.extend((fragment, index) for fragment in compiled.gate_fragments)
            if not compiled.gate_words and not compiled.gate_fragments:
                always.append(index)
        self._by_word = {word: tuple(indexes) for word, indexes in by_word.items()}
        self._gate_keys = frozenset(self._by_word)
        self._fragments = tuple(fragments)
        self._always = tuple(always)
        self._allowances = rule_set.allowances

    @property
    def language(self) -> str:
        return self.rule_set.language

    def flags_for_block(self, text: str) -> list[Flag]:
        """Flags of phrase and regex rules in one block, offsets relative to it, sorted by start.

        Safe to call from any thread. Never includes document-level flags (see `analyse`).
        """
        if not text or text.isspace():
            return []
        lowered = text.lower()
        candidates = set(self._always)
        for word in gate_words(text) & self._gate_keys:
            candidates.update(self._by_word[word])
        for fragment, index in self._fragments:
            if fragment in lowered:
                candidates.add(index)
        flags: list[Flag] = []
        allowances = self._allowances
        for index in sorted(candidates):
            compiled = self._span_rules[index]
            rule = compiled.rule
            for match in compiled.regex.finditer(text):
                start, end = match.span()
                if end <= start:
                    continue
                found = match.group()
                if allowances.phrases and allowances.allows_text(found):
                    continue
                flags.append(
                    Flag(rule.id, rule.category, start, end, found, rule.severity, rule.why, rule.suggestions)
                )
        flags.sort(key=lambda f: (f.start, f.end))
        return flags

    def span_flags(self, text: str) -> list[Flag]:
        """`flags_for_block` over each paragraph (split at blank lines), offsets into `text`."""
        flags: list[Flag] = []
        position = 0
        for match in _PARAGRAPH_BREAK.finditer(text):
            flags.extend(f.shifted(position) for f in self.flags_for_block(text[position : match.start()]))
            position = match.end()
        flags.extend(f.shifted(position) for f in self.flags_for_block(text[position:]))
        return flags

    def document_flags(
        self, text: str, sentences: list[Sentence], words: int
    ) -> tuple[list[Flag], dict[str, float]]:
        """Document-level rules and the measures they looked at."""
        measures = document_measures(text, sentences, words)
        flags: list[Flag] = []
        for rule in self._document_rules:
            if len(sentences) < rule.min_sentences or words < rule.min_words:
                continue
            value = measures[rule.measure]
            fired = value < rule.threshold if rule.below else value >= rule.threshold
            if fired:
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

    def analyse(self, text: str) -> Analysis:
        """Everything about one email's text: all flags, the word count and the tell density."""
        sentences = split_sentences(text)
        words = count_words(text)
        flags = self.span_flags(text)
        document, measures = self.document_flags(text, sentences, words)
        flags.extend(document)
        return Analysis(words, tuple(flags), tell_density(flags, words), measures)


def document_measures(text: str, sentences: list[Sentence], words: int) -> dict[str, float]:
    """Sentence-length variation (coefficient of variation) and emoji and dash rates per 100 words.

    Rates count at least RATE_MIN_WORDS words, so one emoji in a signature of a short note is not a habit.
    """
    lengths = [s.words for s in sentences]
    cv = statistics.pstdev(lengths) / statistics.fmean(lengths) if len(lengths) >= 2 else 0.0
    per_100 = 100.0 / max(words, RATE_MIN_WORDS)
    return {
        "sentence_length_cv": cv,
        "emoji_per_100_words": count_emoji(text) * per_100,
        "dash_per_100_words": count_dashes(text) * per_100,
    }
