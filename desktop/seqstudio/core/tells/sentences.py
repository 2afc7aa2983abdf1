"""Words and sentences, counted the same way by the detector, the density and the readability."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (with closing quotes or brackets) before whitespace, or at a line break:
# email copy puts greetings, sign-offs, list items and buttons on lines of their own.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\s*\n\s*")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# Pictographs and symbols that render as emoji (the main blocks; skin tones and joiners ride along).
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\U0001f1e6-\U0001f1ff]")
_DASH = re.compile(r"—|(?<=\s)(?:–|--)(?=\s)")  # an en dash in a range (9–5) is not one


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    words: int


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into `text`; empty pieces and pieces without words are skipped."""
    out: list[Sentence] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        _append(text, position, match.start(), out)
        position = match.end()
    _append(text, position, len(text), out)
    return out


def _append(text: str, start: int, end: int, out: list[Sentence]) -> None:
    if end <= start:
        return
    words = count_words(text[start:end])
    if words:
        out.append(Sentence(start, end, words))


def count_emoji(text: str) -> int:
    return len(_EMOJI.findall(text))


def count_dashes(text: str) -> int:
    """Em and en dashes, and a spaced double hyphen standing in for one."""
    return len(_DASH.findall(text))
