"""Words and sentences, counted the same way by the detector, the density and the readability.

A word is a run of characters between whitespace (so "fast-paced" is one word and a lone dash is
one too, rarely enough not to matter); `str.split` counts that in C, which keeps scoring cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (with closing quotes or brackets) before whitespace, or at a line break:
# email copy puts greetings, sign-offs, list items and buttons on lines of their own. (Led by a
# character class, so the regex engine skips ahead fast; group 1 is the end mark.)
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)\]]*)[^\S\n]*\n\s*|([.!?…][\"'”’)\]]*)[^\S\n]+|\n\s*")
# Pictographs and symbols that render as emoji (the main blocks; skin tones and joiners ride along).
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")
_SYMBOL_BYTES = re.compile(rb"\xe2[\x98-\x9e\xac-\xaf]")
_APOSTROPHE_TABLE = {ord("’"): "'", ord("ʼ"): "'"}


@dataclass(frozen=True)
class Sentence:
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
        _append(text, position, match.start() + len(mark), out)
        position = match.end()
    _append(text, position, len(text), out)
    return out


def sentence_lengths(text: str) -> list[int]:
    """The word count of each sentence, for the sentence-length measures where speed matters: the
    breaks of `split_sentences` (an end mark before a space, or a line break), found with plain
    string replaces; an end mark followed by a closing quote does not end a sentence here."""
    for mark in ("! ", "? ", "… ", "\n"):
        if mark in text:
            text = text.replace(mark, ". ")
    return list(filter(None, map(len, map(str.split, text.split(". ")))))  # C-level loops


def _append(text: str, start: int, end: int, out: list[Sentence]) -> None:
    if end > start:
        words = count_words(text[start:end])
        if words:
            out.append(Sentence(start, end, words))


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
