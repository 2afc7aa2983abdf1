"""Reading grade and sentence length per language, with textstat, offline.

English uses the Flesch-Kincaid grade, German the first Wiener Sachtextformel (a school grade
too, made for German); both also report Flesch reading ease with that language's constants.
Very long sentences are returned with offsets so an editor can mark them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textstat.textstat import textstatistics

from seqstudio.core.tells.sentences import count_words, split_sentences

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


def _statistics(language: str) -> textstatistics:
    # A fresh instance per call: textstat's module-level object holds the language as global state.
    stats = textstatistics()
    stats.set_lang(_TEXTSTAT_LANG[language])
    return stats


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
    long_ones = tuple(
        LongSentence(s.start, s.end, s.words) for s in sentences if s.words > long_sentence_words
    )
    if not words:
        return Readability(language, 0.0, _FORMULA[language], 0.0, 0, 0, 0.0, (), target_grade)
    stats = _statistics(language)
    # textstat splits sentences only at . ! ?; give it ours, so greetings and list items count as such.
    prepared = " ".join(_terminated(text[s.start : s.end]) for s in sentences)
    if language == "de":
        grade = float(stats.wiener_sachtextformel(prepared, 1))
    else:
        grade = float(stats.flesch_kincaid_grade(prepared))
    ease = float(stats.flesch_reading_ease(prepared))
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


def _terminated(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if sentence[-1:] in ".!?…" else sentence + "."
