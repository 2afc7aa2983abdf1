"""Reading grade and sentence length per language, with textstat, offline.

English uses the Flesch-Kincaid grade, German the first Wiener Sachtextformel (a school grade
too, made for German); both also report Flesch reading ease with that language's constants.
Very long sentences are returned with offsets so an editor can mark them.

The figures are textstat's, to the last bit (a test compares them with its own formula
functions), but counted faster: textstat's formulas count the syllables of the whole text anew on
every call, with pyphen, word by word, and cache only whole texts (128 of them). The panel
re-grades all six emails after every pause in typing, with only a few words changed; so each
word's syllables are counted once, with textstat's own `count_syllables`, and remembered. On
300-word emails that took a grade from 1.1 ms to 0.5 ms (benchmarks/tells_speed.py); most of the
rest is textstat's own word and sentence counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from textstat.backend.counts import count_long_words, count_syllables
from textstat.backend.metrics import words_per_sentence
from textstat.backend.selections import list_words
from textstat.backend.utils import get_lang_cfg

from seqstudio.core.tells.sentences import Sentence, count_words, split_sentences

LONG_SENTENCE_WORDS = 25
# textstat looks English syllables up in NLTK's CMUdict, which it downloads on first use; a tag
# whose root is not "en" makes it count them with pyphen's en_US hyphenation instead, offline.
_TEXTSTAT_LANG = {"en": "en-US", "de": "de"}
_FORMULA = {"en": "Flesch-Kincaid grade", "de": "Wiener Sachtextformel (1)"}


@dataclass(frozen=True)
class LongSentence:
    start: int
    end: int
    words: int


@dataclass(frozen=True)
class Readability:
    """Figures for one text. `grade` is a school grade (higher is harder); 0 for an empty text."""

    language: str
    grade: float
    grade_formula: str
    reading_ease: float
    words: int
    sentences: int
    words_per_sentence: float
    long_sentences: tuple[LongSentence, ...]
    target_grade: float | None = None

    @property
    def over_target(self) -> bool:
        return self.target_grade is not None and self.grade > self.target_grade

    def as_dict(self) -> dict[str, object]:
        return {
            "language": self.language,
            "grade": round(self.grade, 1),
            "grade_formula": self.grade_formula,
            "reading_ease": round(self.reading_ease, 1),
            "words": self.words,
            "sentences": self.sentences,
            "words_per_sentence": round(self.words_per_sentence, 1),
            "long_sentences": [
                {"start": s.start, "end": s.end, "words": s.words} for s in self.long_sentences
            ],
            "target_grade": self.target_grade,
            "over_target": self.over_target,
        }


# Bounded so that a long session does not grow it without end; 50,000 words hold several
# languages' working vocabulary, at about 100 bytes a word.
SYLLABLE_CACHE_WORDS = 50_000


class _SyllableCounts:
    """textstat's syllable count of single words, remembered per language tag."""

    def __init__(self, lang: str) -> None:
        self._lang = lang
        self._counts: dict[str, int] = {}

    def of(self, words: list[str]) -> list[int]:
        """The count of each of `words`."""
        counts = list(map(self._counts.get, words))  # a C-level loop; the words are mostly known
        if None in counts:
            if len(self._counts) >= SYLLABLE_CACHE_WORDS:
                self._counts.clear()  # rare; cheaper than tracking use
            for index, count in enumerate(counts):
                if count is None:
                    word = words[index]
                    counts[index] = self._counts[word] = count_syllables(word, self._lang)
        return cast("list[int]", counts)

    def clear(self) -> None:
        self._counts.clear()


_SYLLABLES = {language: _SyllableCounts(lang) for language, lang in _TEXTSTAT_LANG.items()}
# Flesch reading ease's constants per language (textstat rebuilds its table on every lookup).
_EASE = {
    language: tuple(
        get_lang_cfg(lang, key) for key in ("fre_base", "fre_sentence_length", "fre_syll_per_word")
    )
    for language, lang in _TEXTSTAT_LANG.items()
}


def forget_syllable_counts() -> None:
    """Empty the remembered syllable counts, as at start: for benchmarks. (textstat's own cache
    of its last 128 calls stays.)"""
    for counts in _SYLLABLES.values():
        counts.clear()


def readability(
    text: str,
    language: str,
    *,
    target_grade: float | None = None,
    long_sentence_words: int = LONG_SENTENCE_WORDS,
) -> Readability:
    """Reading grade, ease and sentence lengths of `text` in `language` ("en" or "de").

    Raises ValueError for any other language; callers validate the language first.
    """
    if language not in _TEXTSTAT_LANG:
        raise ValueError(f"no readability formula for language {language!r}")
    sentences = split_sentences(text)
    words = count_words(text)
    long_ones = _long(sentences, long_sentence_words)
    if not words:
        return Readability(language, 0.0, _FORMULA[language], 0.0, 0, 0, 0.0, (), target_grade)
    # textstat splits sentences only at . ! ?; give it ours, so greetings and list items count as such.
    prepared = " ".join(_terminated(text[s.start : s.end]) for s in sentences)
    grade, ease = _grade_and_ease(prepared, language)
    return Readability(
        language=language,
        grade=max(grade, 0.0),
        grade_formula=_FORMULA[language],
        reading_ease=ease,
        words=words,
        sentences=len(sentences),
        words_per_sentence=words / max(len(sentences), 1),
        long_sentences=long_ones,
        target_grade=target_grade,
    )


def long_sentences(text: str, long_sentence_words: int = LONG_SENTENCE_WORDS) -> tuple[LongSentence, ...]:
    """The sentences of `text` longer than `long_sentence_words`: `readability(...).long_sentences`
    without the grade, for marking them in an editor."""
    return _long(split_sentences(text), long_sentence_words)


def _long(sentences: list[Sentence], long_sentence_words: int) -> tuple[LongSentence, ...]:
    return tuple(LongSentence(s.start, s.end, s.words) for s in sentences if s.words > long_sentence_words)


def _grade_and_ease(text: str, language: str) -> tuple[float, float]:
    """textstat's flesch_kincaid_grade (English) or wiener_sachtextformel(text, 1) (German), and
    its flesch_reading_ease, of `text`: its formulas on its counts, syllables counted per word.
    (Summed over textstat's words, `count_syllables` of each word is its count of the text.)"""
    words = list_words(text)  # textstat's words: punctuation removed, case kept
    per_word = _SYLLABLES[language].of(words)
    sentence_length = words_per_sentence(text)
    syllables_per_word = sum(per_word) / len(words) if words else 0.0
    if sentence_length == 0 or syllables_per_word == 0:
        ease = flesch_kincaid = 0.0
    else:
        base, per_sentence_word, per_syllable = _EASE[language]
        ease = base - per_sentence_word * sentence_length - per_syllable * syllables_per_word
        flesch_kincaid = (0.39 * sentence_length) + (11.8 * syllables_per_word) - 15.59
    if language != "de":
        return flesch_kincaid, ease
    if not words:
        return 0.0, ease
    # The formula's own names: per cent of words with 3+ syllables (ms), of words over 6 letters
    # (iw), of one-syllable words (es); sentence length in words (sl).
    ms = 100 * sum(1 for count in per_word if count >= 3) / len(words)
    iw = 100 * count_long_words(text) / len(words)
    es = 100 * sum(1 for count in per_word if count == 1) / len(words)
    wiener = (0.1935 * ms) + (0.1672 * sentence_length) + (0.1297 * iw) - (0.0327 * es) - 0.875
    return wiener, ease


def _terminated(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if sentence[-1:] in ".!?…" else sentence + "."
