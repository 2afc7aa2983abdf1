"""Compiling rules: phrase regexes, the anchors matching starts from, and the RE2 prefilter that
must never be narrower than the Python regex it stands in front of."""

from __future__ import annotations

import re

import pytest
import re2

from seqstudio.core.tells.patterns import Anchor, anchor_for, phrase_regex, re2_prefilter


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
