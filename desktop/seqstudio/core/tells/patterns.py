"""Turning a rule's pattern into one compiled regex plus the cheap word gate that guards it.

The gate is what keeps matching fast: a block is split into lower-case words with one C-level
`translate` + `split`, and a rule's regex runs only when one of its gate words (or fragments, for
wildcard words) is in the block. Most rules never run on most paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seqstudio.core.tells.rules import Rule

_APOSTROPHES = "'’ʼ"
_WORD_CHARS = re.compile(r"[^\W_]+")
# Everything that is not part of a word becomes a space; curly apostrophes become straight ones.
_GATE_TABLE = {ord(c): " " for c in '\t\n\r\f\v!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~«»‹›„“”‚‘…–—−·•|¡¿'}
_GATE_TABLE[ord("’")] = "'"
_GATE_TABLE[ord("ʼ")] = "'"


def gate_words(text: str) -> frozenset[str]:
    """The block's words as the gate sees them: lower-case, punctuation dropped, apostrophes kept."""
    return frozenset(text.lower().translate(_GATE_TABLE).split())


def phrase_regex(phrase: str) -> str:
    """A regex for one phrase: words on boundaries, any run of spaces between them, `word*` a prefix,
    `'` any apostrophe and `-` a hyphen, a space or nothing."""
    parts: list[str] = []
    for word in phrase.split():
        wildcard = word.endswith("*")
        word = word.rstrip("*")
        piece = ""
        for char in word:
            if char in _APOSTROPHES:
                piece += "['’ʼ]"
            elif char == "-":
                piece += r"[-‐\s]?"
            else:
                piece += re.escape(char)
        if wildcard:
            piece += r"\w*"
        parts.append(piece)
    body = r"\s+".join(parts)
    head = r"(?<!\w)" if _WORD_CHARS.match(phrase) else ""
    tail = r"(?!\w)" if phrase.rstrip("*")[-1:].isalnum() or phrase.endswith("*") else ""
    return f"{head}{body}{tail}"


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    regex: re.Pattern[str]
    gate_words: frozenset[str]  # empty with no fragments: the rule always runs
    gate_fragments: tuple[str, ...]


def compile_rule(rule: Rule) -> CompiledRule:
    """Compile a phrase or regex rule (not a document rule) with its gate."""
    flags = 0 if rule.case_sensitive else re.IGNORECASE
    if rule.phrases:
        source = "|".join(f"(?:{phrase_regex(p)})" for p in sorted(rule.phrases, key=len, reverse=True))
        words: set[str] = set()
        fragments: set[str] = set()
        for phrase in rule.phrases:
            _add_gate(phrase.split()[0], words, fragments)
        return CompiledRule(rule, re.compile(source, flags), frozenset(words), tuple(sorted(fragments)))
    words = set()
    fragments = set()
    for required in rule.requires:
        _add_gate(required, words, fragments)
    return CompiledRule(
        rule, re.compile(rule.regex, flags | re.MULTILINE), frozenset(words), tuple(sorted(fragments))
    )


def _add_gate(word: str, words: set[str], fragments: set[str]) -> None:
    lowered = word.lower().replace("’", "'")
    stripped = lowered.rstrip("*")
    if lowered.endswith("*") or "-" in stripped or not stripped.replace("'", "").isalnum():
        # A prefix, a hyphenated word or punctuation: test it as a fragment of the lower-cased text.
        fragments.add(stripped.split("-")[0] if "-" in stripped else stripped)
    else:
        words.add(stripped)
