"""Turning a rule's pattern into one compiled regex and the anchors where a match may start.

Matching is anchored, which is what keeps it fast enough for every keystroke. A phrase can only
start with its first words, and a regex rule with `requires` only with one of those; so the
detector asks one RE2 set which anchors occur in the block at all, finds those with `str.find`,
and tries the regex there with `match`, instead of scanning every position with every rule.
Only regex rules without `requires` scan the block; on an ASCII block an RE2 "guide" (see
`re2_guide`) finds where their next match can start, so `re` is not tried at every comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import re2

from seqstudio.core.tells.rules import Rule
from seqstudio.core.tells.sentences import normalise_apostrophes

_APOSTROPHES = "'’ʼ"
# Between the words of a phrase: spaces, or one line break, but never a blank line, so a phrase
# found in a whole document is one that a paragraph-by-paragraph match finds too.
WORD_GAP = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)"


def phrase_regex(phrase: str) -> str:
    """A regex for one phrase: `word*` is a prefix, `*` alone any one word, `'` any apostrophe,
    `-` a hyphen or a space; the phrase must end at a word boundary if it ends with a letter,
    digit or wildcard."""
    parts: list[str] = []
    for word in phrase.split():
        if word == "*":  # any one word
            parts.append(r"[^\W_][\w'’-]*")
            continue
        wildcard = is_wildcard(word)
        word = word[:-1] if wildcard else word
        piece = ""
        for char in word:
            if char in _APOSTROPHES:
                piece += "['’ʼ]"
            elif char == "-":
                piece += r"[-‐\s]"
            else:
                piece += re.escape(char)
        parts.append(piece + (r"\w*" if wildcard else ""))
    last = phrase.split()[-1]
    tail = r"(?!\w)" if is_wildcard(last) or last[-1:].isalnum() else ""
    return WORD_GAP.join(parts) + tail


def is_wildcard(word: str) -> bool:
    return len(word) > 1 and word.endswith("*") and word[-2].isalnum()


def is_whole_word(word: str) -> bool:
    return not is_wildcard(word) and normalise_apostrophes(word).replace("'", "").isalnum()


@dataclass(frozen=True)
class Anchor:
    """Where a match may start: `text` is lower-case with straight apostrophes and single spaces.
    `first` is its first word when it has two, so a block with runs of spaces can be searched for
    `first` followed by two spaces as well."""

    text: str
    first: str = ""


def anchor_for(start: str) -> Anchor:
    """The anchor of a phrase or a `requires` entry: up to its first two whole words; for a
    hyphenated first word, the part before the hyphen; for a prefix (`elevat*`) or punctuation
    (`**`), that literal."""
    words = normalise_apostrophes(start.lower()).split()
    first = words[0]
    head = first.split("-")[0]
    if "-" in first[1:] and is_whole_word(head):
        return Anchor(head)
    if not is_whole_word(first):
        return Anchor(first[:-1] if is_wildcard(first) else first)
    if len(words) > 1 and is_whole_word(words[1]):
        return Anchor(f"{first} {words[1]}", first)
    return Anchor(first)


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to match.

    `regex` matches anything the rule flags. `anchored` pairs each anchor with the regex to try
    where that anchor starts: for a phrase rule only its phrases that begin there (None when the
    phrase is the anchor word itself, which needs no regex), for a regex rule the whole regex.
    No anchors means: scan the whole block with `regex.finditer`.
    """

    rule: Rule
    regex: re.Pattern[str]
    anchored: tuple[tuple[Anchor, re.Pattern[str] | None], ...]


def compile_rule(rule: Rule) -> CompiledRule:
    """Compile a phrase or regex rule (not a document rule) with its anchors."""
    flags = 0 if rule.case_sensitive else re.IGNORECASE
    if not rule.phrases:
        regex = re.compile(rule.regex, flags | re.MULTILINE)
        anchors = sorted({anchor_for(r) for r in rule.requires if r.strip()}, key=lambda a: a.text)
        return CompiledRule(rule, regex, tuple((a, regex) for a in anchors))
    by_anchor: dict[Anchor, list[str]] = {}
    for phrase in rule.phrases:
        by_anchor.setdefault(anchor_for(phrase), []).append(phrase)
    anchored: list[tuple[Anchor, re.Pattern[str] | None]] = []
    for anchor, phrases in sorted(by_anchor.items(), key=lambda item: item[0].text):
        single_word = len(phrases) == 1 and phrases[0].lower() == anchor.text and is_whole_word(phrases[0])
        anchored.append((anchor, None if single_word else _phrases_regex(phrases, flags)))
    return CompiledRule(rule, _phrases_regex(list(rule.phrases), flags), tuple(anchored))


def _phrases_regex(phrases: list[str], flags: int) -> re.Pattern[str]:
    # Longest first, so "in today's world" wins over "in today's".
    return re.compile(
        "|".join(f"(?:{phrase_regex(p)})" for p in sorted(phrases, key=len, reverse=True)), flags
    )


# Python's \w, \s, \d and \b know Unicode; RE2's know ASCII only. Outside character classes these
# replacements make an RE2 pattern that matches at least wherever the Python one does.
_RE2_WIDER = {"\\w": "[\\pL\\pN_]", "\\d": "\\pN", "\\s": "[\\s\\pZ]", "\\b": "", "\\B": ""}


def re2_prefilter(pattern: str, *, wide: dict[str, str] = _RE2_WIDER) -> str | None:
    """An RE2 pattern that matches wherever the Python `pattern` can (maybe more), or None when
    there is no safe translation (a Unicode class escape inside [...], or RE2 lacks the syntax).
    Used only to skip rules that cannot match; the Python regex still decides every match."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escape = pattern[index : index + 2]
            if escape in _RE2_WIDER or escape in ("\\W", "\\S", "\\D"):
                if in_class or escape in ("\\W", "\\S", "\\D"):
                    return None
                out.append(wide[escape])
            else:
                out.append(escape)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            if pattern[index + 1 : index + 2] == "]":  # a literal ] first in the class
                out.append("[]")
                index += 2
                continue
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


# For `re2_guide`: \s also as Python's \s reads ASCII text (vertical tab, \x1c-\x1f).
_RE2_WIDER_ASCII = {**_RE2_WIDER, "\\s": "[\\s\\pZ\\x0b\\x1c-\\x1f]"}


def re2_guide(pattern: str, case_sensitive: bool) -> re2._Regexp[bytes] | None:
    """An RE2 regex that can start a match at every position of an ASCII text where the Python
    `pattern` (compiled with MULTILINE, and IGNORECASE unless `case_sensitive`) can; so RE2's
    leftmost match start is never past Python's, and the text before it need not be scanned
    by Python. None when no such regex is known: a pattern beyond ASCII (case folding differs
    between the engines there), `{,n}` (a quantifier in Python, literal text in RE2), or what
    `re2_prefilter` cannot translate or RE2 cannot compile (lookarounds, backreferences)."""
    wider = (
        re2_prefilter(pattern, wide=_RE2_WIDER_ASCII) if pattern.isascii() and "{," not in pattern else None
    )
    if wider is None:
        return None
    options = re2.Options()
    options.log_errors = False  # a pattern RE2 cannot parse is expected here, not worth a log line
    try:
        return re2.compile((("(?m)" if case_sensitive else "(?mi)") + wider).encode("ascii"), options)
    except re2.error:
        return None
