"""The byte-level sentence count agrees with the str one it stands in for."""

from __future__ import annotations

import random

from seqstudio.core.tells.sentences import SPACES_NOT_IN_BYTES, sentence_lengths, sentence_lengths_utf8


def test_spaces_not_in_bytes_are_exactly_those_str_split_adds() -> None:
    wider = [c for c in map(chr, range(0x110000)) if c.isspace() and not c.encode().isspace()]
    assert "".join(wider) == SPACES_NOT_IN_BYTES


def test_sentence_lengths_on_utf8_match_those_on_str() -> None:
    pieces = [*"ab .!?…\n\t\r\x0b\x0c\x1c\u2028\xa0\u3000é—🎉’\"'”)", "word", "Hi Sam,", "! ", ". "]
    rng = random.Random(5)
    texts = ["", " ", "One. Two three! Four?\nFive… six", "Hi,\n\nThanks — really.\u00a0Bye"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    counted = 0
    for text in texts:
        lengths = sentence_lengths_utf8(text, text.encode("utf-8"))
        if lengths is not None:
            counted += 1
            assert lengths == sentence_lengths(text), repr(text)
        else:
            assert any(c in SPACES_NOT_IN_BYTES for c in text)
    assert counted > len(texts) // 3
