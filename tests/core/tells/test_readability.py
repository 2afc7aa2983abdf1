"""Reading grade per language with textstat, offline, and very long sentences marked."""

from __future__ import annotations

import importlib
import socket

import nltk
import pytest
from textstat.textstat import textstatistics

from seqstudio.core.tells.readability import LONG_SENTENCE_WORDS, long_sentences, readability

# The module itself: the package exports its `readability` function under the same name.
readability_module = importlib.import_module("seqstudio.core.tells.readability")

EASY_EN = "We roast on Tuesdays. Your bag ships the next day. Brew it within three weeks. Enjoy it."
HARD_EN = (
    "Notwithstanding considerable organisational complexity, our multidisciplinary procurement "
    "infrastructure systematically prioritises environmentally sustainable agricultural partnerships, "
    "consequently guaranteeing exceptional consistency throughout subsequent international distribution."
)
EASY_DE = "Wir rösten am Dienstag. Die Tüte kommt am Mittwoch. Trink den Kaffee bald. Viel Spaß."
HARD_DE = (
    "Ungeachtet erheblicher organisatorischer Komplexität priorisiert unsere interdisziplinäre "
    "Beschaffungsinfrastruktur systematisch umweltverträgliche landwirtschaftliche Partnerschaften "
    "und gewährleistet infolgedessen außergewöhnliche Beständigkeit."
)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat must not reach for NLTK's downloader (CMUdict) or the network at all."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("readability tried to go online")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(("language", "easy", "hard"), [("en", EASY_EN, HARD_EN), ("de", EASY_DE, HARD_DE)])
def test_harder_text_gets_a_higher_grade(language: str, easy: str, hard: str) -> None:
    simple, complex_ = readability(easy, language), readability(hard, language)
    assert simple.grade < 5 < complex_.grade
    assert simple.reading_ease > complex_.reading_ease
    assert simple.sentences == 4 and simple.words == len(easy.split())
    assert complex_.language == language


def test_formulas_are_named_per_language() -> None:
    assert readability(EASY_EN, "en").grade_formula == "Flesch-Kincaid grade"
    assert readability(EASY_DE, "de").grade_formula.startswith("Wiener Sachtextformel")


def test_long_sentences_are_marked_with_offsets() -> None:
    long_sentence = "We " + "really " * LONG_SENTENCE_WORDS + "like coffee."
    text = f"Hi Sam,\n\nShort one. {long_sentence} Another short one."
    result = readability(text, "en")
    (marked,) = result.long_sentences
    assert text[marked.start : marked.end] == long_sentence
    assert marked.words == LONG_SENTENCE_WORDS + 3
    assert readability(text, "en", long_sentence_words=100).long_sentences == ()
    assert long_sentences(text) == result.long_sentences  # the same, without the grade
    assert long_sentences(text, 100) == ()


def test_a_target_grade_says_whether_the_text_is_over_it() -> None:
    assert readability(HARD_EN, "en", target_grade=8).over_target
    assert not readability(EASY_EN, "en", target_grade=8).over_target
    assert not readability(HARD_EN, "en").over_target  # no target, nothing is over it
    assert readability(HARD_EN, "en", target_grade=8).as_dict()["over_target"] is True


def test_empty_text_and_unknown_language() -> None:
    empty = readability("   ", "en")
    assert (empty.grade, empty.words, empty.sentences) == (0.0, 0, 0)
    with pytest.raises(ValueError, match="no readability formula"):
        readability(EASY_EN, "fr")


# Words textstat's punctuation rules treat unevenly: upper-case contractions lose their apostrophe,
# hyphens join words, a dotted capital I lower-cases to two characters, and numbers have no
# syllables in pyphen's patterns.
TRICKY = [
    EASY_EN,
    HARD_EN,
    EASY_DE,
    HARD_DE,
    "DON'T STOP. We'd like it — it's ''t odd. Well-known, x'-s! İstanbul in 2026? OK.",
    "Größere Änderungen: Straße, Maße; der 3. Oktober. Wir's, gibt's, Ü-Eier!",
    "!!! ... ?",
    "a",
    "",
]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("text", TRICKY)
def test_grade_and_ease_are_textstats_own(language: str, text: str) -> None:
    """The syllables are counted per word and remembered; the figures must stay textstat's."""
    stats = textstatistics()
    stats.set_lang(readability_module._TEXTSTAT_LANG[language])
    grade = stats.wiener_sachtextformel(text, 1) if language == "de" else stats.flesch_kincaid_grade(text)
    expected = (float(grade), float(stats.flesch_reading_ease(text)))
    readability_module.forget_syllable_counts()
    assert readability_module._grade_and_ease(text, language) == expected  # counted anew
    assert readability_module._grade_and_ease(text, language) == expected  # remembered


def test_a_full_syllable_memory_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    readability_module.forget_syllable_counts()
    expected = readability(HARD_EN, "en")
    monkeypatch.setattr(readability_module, "SYLLABLE_CACHE_WORDS", 3)
    assert readability(HARD_EN, "en") == expected
    assert len(readability_module._SYLLABLES["en"]._counts) <= len(HARD_EN.split())
