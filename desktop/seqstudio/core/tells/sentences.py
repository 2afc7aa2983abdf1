"""Words and sentences, counted the same way by the detector, the density and the readability,
and the document measures made of them.

A word is a run of characters between whitespace (so "fast-paced" is one word and a lone dash is
one too, rarely enough not to matter); `str.split` counts that in C, which keeps scoring cheap.
"""

from __future__ import annotations

import math
import operator
import re
from types import ModuleType
from typing import NamedTuple

# The document measures' rates count at least this many words.
RATE_MIN_WORDS = 100
# The rates among the document measures and the count each is made of (a rule's `min_count`).
RATE_COUNTS = {
    "emoji_per_100_words": "emoji",
    "dash_per_100_words": "dashes",
    "em_dash_per_100_words": "em_dashes",
}
# A sentence ends at . ! ? (with closing quotes or brackets) before whitespace, or at a line break:
# email copy puts greetings, sign-offs, list items and buttons on lines of their own. (Led by a
# character class, so the regex engine skips ahead fast; group 1 is the end mark.)
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)\]]*)[^\S\n]*\n\s*|([.!?…][\"'”’)\]]*)[^\S\n]+|\n\s*")
# Pictographs and symbols that render as emoji (the main blocks; skin tones and joiners ride along).
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")
_SYMBOL_BYTES = re.compile(rb"\xe2[\x98-\x9e\xac-\xaf]")
_new_tuple = tuple.__new__  # skips a NamedTuple's Python-level __new__: the same value, faster
_APOSTROPHE_TABLE = {ord("’"): "'", ord("ʼ"): "'"}
# The characters str.split() splits on but bytes.split() does not (a test checks this list).
SPACES_NOT_IN_BYTES = "\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_ASCII_SPACES_NOT_IN_BYTES = SPACES_NOT_IN_BYTES[:4]
_SENTENCE_MARKS_UTF8 = ((b"!", b"! "), (b"?", b"? "), ("…".encode(), "… ".encode()), (b"\n", b"\n"))


class Sentence(NamedTuple):
    """A NamedTuple, not a frozen dataclass: an email has dozens, graded after every pause."""

    start: int
    end: int
    words: int


def normalise_apostrophes(text: str) -> str:
    """Curly apostrophes made straight; the length (and so every offset) stays the same."""
    return text.translate(_APOSTROPHE_TABLE)


def count_words(text: str) -> int:
    return len(text.split())


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into `text` (end marks included); pieces without words are skipped."""
    out: list[Sentence] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        mark = match.group(1) or match.group(2) or ""
        end = match.start() + len(mark)
        if end > position:
            words = len(text[position:end].split())
            if words:
                out.append(_new_tuple(Sentence, (position, end, words)))
        position = match.end()
    words = len(text[position:].split())
    if words:
        out.append(_new_tuple(Sentence, (position, len(text), words)))
    return out


def sentence_lengths(text: str) -> list[int]:
    """The word count of each sentence, for the sentence-length measures where speed matters: the
    breaks of `split_sentences` (an end mark before a space, or a line break), found with plain
    string replaces; an end mark followed by a closing quote does not end a sentence here."""
    for mark in ("! ", "? ", "… ", "\n"):
        if mark in text:
            text = text.replace(mark, ". ")
    return list(filter(None, map(len, map(str.split, text.split(". ")))))  # C-level loops


def sentence_lengths_utf8(text: str, data: bytes) -> list[int] | None:
    """`sentence_lengths(text)`, counted on `data` (`text` in UTF-8), or None when `text` has
    whitespace that bytes.split() does not know (then call `sentence_lengths`).

    The same breaks and word counts, cheaper: bytes objects are quicker to build than str ones,
    and each mark is only looked for when its first byte occurs (a memchr, not a substring scan).
    """
    spaces = _ASCII_SPACES_NOT_IN_BYTES if len(data) == len(text) else SPACES_NOT_IN_BYTES
    if any(map(text.__contains__, spaces)):
        return None
    for first, mark in _SENTENCE_MARKS_UTF8:  # UTF-8 is self-synchronising: the replaces on str
        if first in data:
            data = data.replace(mark, b". ")
    return list(filter(None, map(len, map(bytes.split, data.split(b". ")))))


def count_emoji(text: str) -> int:
    return len(_EMOJI.findall(text))


def count_emoji_bytes(data: bytes) -> int:
    """`count_emoji` of the UTF-8 text, counted on its bytes: the emoji planes start with F0 9F,
    the symbol blocks U+2600-27BF and U+2B00-2BFF with E2 98-9E and E2 AC-AF."""
    return data.count(b"\xf0\x9f") + len(_SYMBOL_BYTES.findall(data))


def count_dashes(text: str) -> int:
    """Em dashes, and a spaced en dash or double hyphen standing in for one (an en dash in a
    range such as 9–5 is not one)."""
    return text.count("—") + text.count(" – ") + text.count(" -- ")


def count_em_dashes(text: str) -> int:
    """Em dashes alone: in German the dash between clauses is the spaced en dash (Gedankenstrich,
    typed " - " or " -- " on a typewriter), so only the English mark stands out there."""
    return text.count("—")


def document_measures(
    text: str, data: bytes | None = None, *, kernels: ModuleType | None = None
) -> dict[str, float]:
    """Words, sentences, sentence-length variation (coefficient of variation), and the counts of
    emoji, dashes and em dashes with their rates per 100 words (RATE_COUNTS). Rates count at least
    RATE_MIN_WORDS words, so one emoji in the signature of a short note does not read as a habit.
    `data`, if given, must be `text` in UTF-8. `kernels` (native.py) count it all in one pass in C."""
    if kernels is not None:
        lengths, emoji, dashes, em_dashes = kernels.document_counts(text)
        return _measures(lengths, emoji, dashes, em_dashes)
    if data is None:
        data = text.encode("utf-8")
    lengths = sentence_lengths_utf8(text, data)
    if lengths is None:  # whitespace beyond ASCII: the slower count on the str
        lengths = sentence_lengths(text)
    is_ascii = len(data) == len(text)
    emoji = 0 if is_ascii else count_emoji_bytes(data)
    dashes = text.count(" -- ") if is_ascii else count_dashes(text)
    em_dashes = 0 if is_ascii else count_em_dashes(text)
    return _measures(lengths, emoji, dashes, em_dashes)


def _measures(lengths: list[int], emoji: int, dashes: int, em_dashes: int) -> dict[str, float]:
    words = sum(lengths)
    cv = 0.0
    if len(lengths) >= 2:
        mean = words / len(lengths)
        variance = sum(map(operator.mul, lengths, lengths)) / len(lengths) - mean * mean
        cv = math.sqrt(max(variance, 0.0)) / mean
    per_100 = 100.0 / max(words, RATE_MIN_WORDS)
    return {
        "words": float(words),
        "sentences": float(len(lengths)),
        "sentence_length_cv": cv,
        "emoji": float(emoji),
        "emoji_per_100_words": emoji * per_100,
        "dashes": float(dashes),
        "dash_per_100_words": dashes * per_100,
        "em_dashes": float(em_dashes),
        "em_dash_per_100_words": em_dashes * per_100,
    }
