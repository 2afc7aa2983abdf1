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
_SENTENCE_SPLIT = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*")  # the same breaks, without groups
# Pictographs and symbols that render as emoji (the main blocks; skin tones and joiners ride along).
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")
_SYMBOL_BYTES = re.compile(rb"\xe2[\x98-\x9e\xac-\xaf]")
_APOSTROPHE_TABLE = {ord("’"): "'", ord("ʼ"): "'"}
# For the word set the matcher gates on: ASCII punctuation becomes a space in one bytes.translate;
# the few non-ASCII marks that sit between words are replaced first.
_ASCII_PUNCTUATION = b'\t\n\r\f\v!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'
_TO_SPACE = bytes.maketrans(_ASCII_PUNCTUATION, b" " * len(_ASCII_PUNCTUATION))
# General punctuation (U+2000-U+206F: dashes, curly quotes, ellipsis, thin spaces) in UTF-8, plus
# no-break space, guillemets, middle dot and inverted marks.
_WIDE_PUNCTUATION = re.compile(rb"\xe2[\x80\x81][\x80-\xbf]|\xc2[\xa0\xa1\xab\xb7\xbb\xbf]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    words: int


def normalise_apostrophes(text: str) -> str:
    """Curly apostrophes made straight; the length (and so every offset) stays the same."""
    return text.translate(_APOSTROPHE_TABLE)


def gate_bytes(flat: str) -> bytes:
    """`flat` as UTF-8 with punctuation turned into spaces (apostrophes kept, hyphens split words),
    so `.split()` gives its words as bytes for set lookups. Emoji survive (see count_emoji_bytes)."""
    data = flat.encode("utf-8")
    if not flat.isascii():
        data = _WIDE_PUNCTUATION.sub(b" ", data)
    return data.translate(_TO_SPACE)


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
    """The word count of each sentence of `text`, as `split_sentences` would give, but faster."""
    return list(filter(None, map(len, map(str.split, _SENTENCE_SPLIT.split(text)))))  # C-level loops


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
