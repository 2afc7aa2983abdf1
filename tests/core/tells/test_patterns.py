"""Compiling rules: phrase regexes, the anchors matching starts from, and the RE2 prefilter that
must never be narrower than the Python regex it stands in front of."""

from __future__ import annotations

import random
import re

import pytest
import re2

from seqstudio.core.tells.patterns import Anchor, anchor_for, phrase_regex, re2_guide, re2_prefilter


@pytest.mark.parametrize(
    ("phrase", "matches", "misses"),
    [
        ("don't hesitate", ["don't hesitate", "Don’t  hesitate", "don't\nhesitate"], ["don't\n\nhesitate"]),
        ("cutting-edge", ["cutting-edge", "cutting edge"], ["cuttingedge"]),
        ("elevat*", ["elevate", "elevating"], []),
        ("unlock", ["unlock"], ["unlocked"]),
        (
            "take your * to the next level",
            ["take your team to the next level"],
            ["take your to the next level"],
        ),
        ("Certainly!", ["certainly!"], ["certainly"]),
    ],
)
def test_phrase_regex(phrase: str, matches: list[str], misses: list[str]) -> None:
    regex = re.compile(phrase_regex(phrase), re.IGNORECASE)
    for text in matches:
        assert regex.fullmatch(text), text
    for text in misses:
        assert not regex.fullmatch(text), text


@pytest.mark.parametrize(
    ("start", "anchor"),
    [
        ("I hope this email finds you well", Anchor("i hope", "i")),
        ("Don’t hesitate to", Anchor("don't hesitate", "don't")),
        ("seamless", Anchor("seamless")),
        ("cutting-edge", Anchor("cutting")),
        ("elevat*", Anchor("elevat")),
        ("take your * to", Anchor("take your", "take")),
        ("**", Anchor("**")),
    ],
)
def test_anchors_are_the_literal_start_of_a_match(start: str, anchor: Anchor) -> None:
    assert anchor_for(start) == anchor


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r",[ \t]+\w+,?[ \t]+und[ \t]+\w+(?:ig|lich)\b", "schnell, zuverlässig und günstig"),
        (r"\bcafé\b", "ein café hier"),
        (r"a\s+b", "a\u00a0b"),
        (r"\d+ days", "٣ days"),
        (r"[\]x]+y", "]]y"),
    ],
)
def test_the_re2_prefilter_matches_wherever_python_does(pattern: str, text: str) -> None:
    assert re.search(pattern, text)
    wider = re2_prefilter(pattern)
    assert wider is not None
    assert re2.search(wider, text)


@pytest.mark.parametrize("pattern", [r"[\w-]+", r"\W+", r"[^\S\n]+", r"\S+"])
def test_no_prefilter_where_there_is_no_safe_translation(pattern: str) -> None:
    assert re2_prefilter(pattern) is None


_GUIDED = [
    r",[ \t]+\w+(?:ly|ful|ive)\b,?[ \t]+and[ \t]+\w+(?:ly|ful|ive)\b",
    r"\[(?:Your|Name)[^\]\n]{0,40}\]",
    r"^\w+,",
    r"\d+%$",
    r"\s+and\s+",
    r"x?",  # can match the empty string: the guided scan must hand back to finditer
]


@pytest.mark.parametrize("pattern", _GUIDED)
def test_guided_scan_finds_what_finditer_finds(pattern: str) -> None:
    from seqstudio.core.tells.detector import _guided_finditer

    regex = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    guide = re2_guide(pattern, case_sensitive=False)
    assert guide is not None
    rng = random.Random(pattern)
    pieces = [
        ", ",
        " and ",
        "quick",
        "ly",
        "ful",
        "\t",
        "\n",
        "[Your Name]",
        "]",
        "7%",
        "\x0b",
        "\x1c",
        "x",
        "A",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        spans = _guided_finditer(regex, guide, text, text.encode("ascii"))
        if pattern == "x?":
            assert spans is None
            continue
        assert spans == [m.span() for m in regex.finditer(text) if m.end() > m.start()], repr(text)


@pytest.mark.parametrize(
    "pattern",
    [r"(?<![^\n])#{1,6}[ \t]+\S", r"it’s\s+not", r"a{,3}b", r"(a)\1"],
)
def test_no_guide_where_re2_would_differ_or_cannot_parse(pattern: str) -> None:
    assert re2_guide(pattern, case_sensitive=False) is None


def test_start_back_is_the_leftmost_word_before_the_flag() -> None:
    from seqstudio.core.tells.detector import _start_back

    # The definition: the leftmost match, at most 60 characters back, ending at the flag's start.
    word_before = re.compile(r"[^\W_][\w'’-]*[^\w\n]{0,3}\Z")

    def searched(text: str, start: int, words: int) -> int:
        for _ in range(words):
            found = word_before.search(text, max(0, start - 60), start)
            if not found:
                break
            start = found.start()
        return start

    rng = random.Random(4)
    pieces = [*"ab_1-'’ ,.\n\t!?—é", "word", "  ", "--", "it's", " - ", "x_y", "a" * 70]
    for _ in range(800):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        for start in range(len(text) + 1):
            assert _start_back(text, start, 1) == searched(text, start, 1), (text, start)
            assert _start_back(text, start, 2) == searched(text, start, 2), (text, start)
