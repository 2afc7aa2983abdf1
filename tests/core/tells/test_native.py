"""The C kernels (core/tells/_tellscan*.c) against their pure-Python twins: the same flags, density
and measures on real emails and on thousands of made-up texts full of odd spacing, case and
Unicode; bad arguments raise instead of crashing; a stale build is not used."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from types import ModuleType

import pytest
from benchmarks.tells_speed import SAMPLE_EMAIL

from seqstudio.core.tells import native
from seqstudio.core.tells.detector import Detector, Flag, flat_form
from seqstudio.core.tells.rules import Allowances, load_rule_set
from seqstudio.core.tells.sentences import document_measures
from tests.support.shared import shared_path

GAPS = [" ", " ", " ", "  ", "   ", "\t", "\n", "\n\n", "\n \n", " \n", "\r\n", "\xa0", "\u2028", "\u2029",
        "\u3000", "\x0b", "\x0c", "\x1c", "\x85", "\u2009", "\u202f", "\0", "\u200b"]  # fmt: skip
MARKS = [".", ",", ";", ":", "!", "?", "…", "—", " – ", " -- ", "-", "--", "**", "#", "### ", "[Your Name]",
         "[Company", "]", '"', "”", "’", "'", ")", "(", "_", "...", "!!", ".”", "1.", "2)"]  # fmt: skip
ODD = ["🚀", "✨", "☀️", "👍🏽", "👩‍💻", "⭐", "✅", "❤️", "K", "ſeamless", "İ", "İt's", "ı", "ıt's", "ǅ", "ﬁ", "ẞ",
       "straße", "ÄUSSERST", "naïve", "Σ", "ς", "e-mail", "E-Mail", "don’t", "donʼt", "it`s", "_", "42"]  # fmt: skip
WORDS = ["the", "a", "an", "and", "or", "but", "so", "we", "you", "it", "this", "is", "are", "to", "of", "in", "on", "for", "with", "not", "just", "only", "about", "our", "your", "team", "email", "offer", "week", "today", "world", "journey", "der", "die", "das", "und", "nicht", "nur", "sondern", "es", "ist", "wir", "Sie", "Ihr", "mit", "für", "Hi", "Thanks", "Best", "regards", "Moreover", "Furthermore", "Certainly", "Absolutely", "Gerne", "Zudem", "quickly", "innovative", "comprehensive", "seamless", "robust", "tailored", "elevate", "unlock", "delve", "leverage"]  # fmt: skip


@pytest.fixture(scope="module")
def kernels() -> ModuleType:
    if native.KERNELS is None:
        reason = "the C kernels are not built here (no C compiler at install, or SEQSTUDIO_PURE_PYTHON)"
        if os.environ.get("CI") == "true" and not os.environ.get("SEQSTUDIO_PURE_PYTHON"):
            pytest.fail(reason + "; CI builds them, so the fast path must be the one tested")
        pytest.skip(reason)
    return native.KERNELS


@pytest.fixture(scope="module")
def pairs(kernels: ModuleType) -> list[tuple[Detector, Detector]]:
    """(C, Python) detectors for each language."""
    return [
        (
            Detector(load_rule_set(lang, user_dirs=()), kernels=kernels),
            Detector(load_rule_set(lang, user_dirs=()), kernels=None),
        )
        for lang in ("en", "de")
    ]


def made_up_texts(pairs: list[tuple[Detector, Detector]], count: int) -> Iterator[str]:
    """Texts built from the packs' own phrases, varied in case, apostrophes, hyphens and gaps, among
    filler words, punctuation, emoji and characters whose case or length changes oddly."""
    rng = random.Random(20261130)
    phrases = [
        p for fast, _ in pairs for rule in fast.rule_set.rules for p in (*rule.phrases, *rule.examples)
    ]

    def vary(text: str) -> str:
        text = rng.choice([str.upper, str.title, str.capitalize, str.lower, lambda t: t])(text)
        if rng.random() < 0.3:
            text = text.replace("'", rng.choice(["’", "ʼ", "'"]))
        if rng.random() < 0.3:
            text = text.replace("*", rng.choice(["", "ing", "s"]))
        if rng.random() < 0.3:
            text = "".join(w + rng.choice(GAPS) for w in text.split(" ")).rstrip()
        if rng.random() < 0.05:
            text = text.replace("i", "ı").replace("I", "İ")
        return text

    for _ in range(count):
        parts = []
        for _ in range(rng.choice([1, 3, 8, 20, 60, 150])):
            pool = rng.choices([phrases, WORDS, MARKS, ODD, GAPS], weights=[30, 35, 15, 10, 10])[0]
            part = rng.choice(pool)
            parts.append(vary(part) if pool is phrases or pool is WORDS else part)
            parts.append(rng.choice(GAPS) if rng.random() < 0.2 else " ")
        yield "".join(parts)


def same(fast: Detector, slow: Detector, text: str, allow: Allowances | None = None) -> None:
    assert fast.analyse(text, allow) == slow.analyse(text, allow), repr(text[:300])
    assert fast.flags_for_block(text, allow) == slow.flags_for_block(text, allow), repr(text[:300])


ALLOW = Allowances.of(
    ["en.buzz.verbs", "de.buzz.verbs"], ["in today's fast-paced world", "seamless", "nahtlos"]
)


def test_both_paths_flag_made_up_texts_alike(pairs: list[tuple[Detector, Detector]]) -> None:
    texts = list(made_up_texts(pairs, 1500))
    for index, text in enumerate(texts):
        for fast, slow in pairs:
            same(fast, slow, text, ALLOW if index % 5 == 0 else None)
    flags = sum(len(fast.analyse(t).flags) for t in texts for fast, _ in pairs)
    assert flags > 10_000, "the texts must actually hit the rules"


def test_both_paths_flag_real_emails_alike(pairs: list[tuple[Detector, Detector]]) -> None:
    texts = [SAMPLE_EMAIL]
    with shared_path("eval", "aitell", "dev.jsonl").open(encoding="utf-8") as corpus:
        texts += [json.loads(line)["text"] for line in corpus]
    for text in texts:
        for fast, slow in pairs:
            same(fast, slow, text)
            for paragraph in text.split("\n\n"):
                assert fast.flags_for_block(paragraph) == slow.flags_for_block(paragraph)


def test_the_flags_are_the_detectors_own_type(pairs: list[tuple[Detector, Detector]]) -> None:
    fast, _slow = pairs[0]
    [flag] = fast.flags_for_block("I hope this email finds you well.")
    assert type(flag) is Flag and flag.rule_id == "en.opener.hope-finds-you-well" and flag.scope == "span"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "One.",
        "A!\nB",
        "A.\nB",
        "A. . B",
        "A!  B",
        "A…\u00a0B",
        "x -- y -- z",
        " – – ",
        "a\u2014b\u2014",
        "🚀✨ hi",
        "A.\u3000B",
        "\x1c\x1d",
        "end. ",
        "\n\n\n",
        "Done!\n\nNext?  Yes… ok",
    ],
)
def test_document_counts_match_the_python_measures(kernels: ModuleType, text: str) -> None:
    assert document_measures(text, kernels=kernels) == document_measures(text)


def test_document_counts_match_on_random_text(kernels: ModuleType) -> None:
    rng = random.Random(7)
    alphabet = ["a", "Word", ".", "!", "?", "…", " ", " ", "\n", "\t", "\r", "\x0b", "\x1c", "\x85", "\xa0",
                "\u2028", "\u3000", ". ", "! ", "—", "–", " – ", " -- ", "-", "😀", "☀", "⬛", "é", "\0"]  # fmt: skip
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert document_measures(text, kernels=kernels) == document_measures(text), repr(text)


def test_bad_arguments_raise_instead_of_crashing(kernels: ModuleType) -> None:
    outputs = ((8, ((0, None),)), (4, ((1, None),)))
    with pytest.raises(ValueError, match="non-empty str"):
        kernels.Anchors(["fine", ""], outputs)
    with pytest.raises(ValueError, match="non-empty str"):
        kernels.Anchors(["fine", 3], outputs)
    with pytest.raises(ValueError, match="one output per anchor"):
        kernels.Anchors(["fine"], outputs)
    with pytest.raises(ValueError, match="an output is"):
        kernels.Anchors(["fine", "good"], ((4, ((0,),)), (4, ())))
    with pytest.raises(ValueError, match="an output is"):
        kernels.Anchors(["fine", "good"], ((4, "no"), (4, ())))
    with pytest.raises(RuntimeError, match="not initialised"):
        kernels.Anchors.__new__(kernels.Anchors).span_hits("a", "a")
    anchors = kernels.Anchors(["in today", "fine"], outputs)
    with pytest.raises(TypeError):
        anchors.span_hits(b"bytes", "text")
    assert anchors.span_hits("in today, fine", "in today, fine") == [(0, 0, -8), (1, 10, -14)]
    anchors.__init__(["fine", "in today"], ((4, ((7, None),)), (8, ((5, None),))))  # starts afresh
    assert anchors.span_hits("in today, fine", "in today, fine") == [(5, 0, -8), (7, 10, -14)]
    with pytest.raises(TypeError):
        kernels.document_counts(b"bytes")
    with pytest.raises(TypeError, match="a hit is"):
        kernels.flags_from("text", [(0, 1)], ((),), None, None, print, Flag)
    with pytest.raises(IndexError, match="names no rule"):
        kernels.flags_from("text", [(5, 0, -1)], (), None, None, print, Flag)
    with pytest.raises(TypeError, match="a rule's parts"):
        kernels.flags_from("text", [(0, 0, -1)], ("not a tuple",), None, None, print, Flag)


def test_a_build_older_than_its_source_is_not_used(
    monkeypatch: pytest.MonkeyPatch, kernels: ModuleType
) -> None:
    assert native.load_kernels() is kernels
    monkeypatch.setattr(kernels, "SOURCE_SHA256", "0" * 64)
    assert native.load_kernels() is None
    monkeypatch.setenv("SEQSTUDIO_PURE_PYTHON", "1")
    assert native.load_kernels() is None


def test_the_flat_form_matches_the_python_one(kernels: ModuleType) -> None:
    rng = random.Random(11)
    alphabet = ["a", "B", "İ", "ẞ", "K", "\n", "\n", "\0", "\t", "\xa0", "\u2028", "’", "ʼ", " ", "😀", "é"]
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        data = text.encode("utf-8")
        assert flat_form(text, data, kernels) == flat_form(text, data), repr(text)


def test_a_guide_finds_the_same_start_through_the_wrapper(monkeypatch: pytest.MonkeyPatch) -> None:
    """guide_start asks RE2's matcher directly; without it (a google-re2 release that moves it) the
    wrapper's search gives the same answers."""
    import re2

    from seqstudio.core.tells import detector

    guide = re2.compile(rb",[ \t]+\w+ly and")
    data = b"Quick, boldly and, softly, kindly and well, truly and"
    direct = [detector.guide_start(guide, data, p) for p in range(len(data) + 1)]
    monkeypatch.setattr(detector, "_UNANCHORED", None)
    assert [detector.guide_start(guide, data, p) for p in range(len(data) + 1)] == direct
    assert direct[0] == 5 and direct[-1] == -1
