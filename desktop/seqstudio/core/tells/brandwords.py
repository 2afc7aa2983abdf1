"""A brand's own "words to avoid" (its settings), flagged where they are written.

They are not AI tells: a brand's banned words say nothing about who wrote a text, so their flags
never count in the tell density. They share the underlines, the panel and "ignore" with the tells,
and a word may be written as a rule-pack phrase is ("cheap*" for cheaper and cheapest too).
A passage a tell already flags is not flagged again for the brand ("unlock" is both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from seqstudio.core.model import Brand
from seqstudio.core.tells.detector import Flag
from seqstudio.core.tells.patterns import phrase_regex
from seqstudio.core.tells.rules import Allowances

BRAND_RULE_ID = "brand.words-to-avoid"
BRAND_CATEGORY = "brand-voice"
BRAND_SEVERITY = 2  # shown as "clear"; it never counts in a density


class BrandWords:
    """The compiled words to avoid of one brand. Cheap to build; equal when brand and words are."""

    def __init__(self, brand_name: str, words: Iterable[str]) -> None:
        self.brand_name = brand_name
        # A lone "*" means "any word" in a phrase: on its own it would flag every word.
        kept = {w.strip() for w in words if w.strip() and set(w.split()) != {"*"}}
        self.words = tuple(sorted(kept, key=str.casefold))
        # Longest first, so "cheap deal" wins over "cheap"; a word must start at a word start.
        alternatives = [
            ("(?<!\\w)" if word[0].isalnum() else "") + f"(?:{phrase_regex(word)})"
            for word in sorted(self.words, key=len, reverse=True)
        ]
        self._regex = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
        self._why = f"{brand_name or 'The brand'} lists this among its words to avoid (Brand settings)."

    @staticmethod
    def of(brand: Brand) -> BrandWords:
        return BrandWords(brand.name, brand.words_to_avoid)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BrandWords) and (other.brand_name, other.words) == (
            self.brand_name,
            self.words,
        )

    def __hash__(self) -> int:
        return hash((self.brand_name, self.words))

    def flags_for_block(self, text: str, allow: Allowances | None = None) -> list[Flag]:
        """Each use of a word to avoid in `text`, offsets relative to it, minus what `allow` lets
        pass (the rule by BRAND_RULE_ID, or the passage)."""
        if self._regex is None or (allow is not None and BRAND_RULE_ID in allow.rule_ids):
            return []
        flags = []
        for match in self._regex.finditer(text):
            found = match.group(0)
            if not found or (allow is not None and allow.allows_text(found)):
                continue
            flags.append(
                Flag(
                    BRAND_RULE_ID,
                    BRAND_CATEGORY,
                    match.start(),
                    match.end(),
                    found,
                    BRAND_SEVERITY,
                    self._why,
                    ("Say it the way the brand would; its sample copy shows the voice.",),
                )
            )
        return flags


def with_brand_flags(tells: list[Flag], brand: list[Flag]) -> list[Flag]:
    """`tells` and those of `brand` that no span tell covers, span flags by start and the
    whole-text (document) tells after them, as the detector orders them."""
    if not brand:
        return tells
    spans = [(f.start, f.end) for f in tells if f.scope == "span"]
    kept = [b for b in brand if not any(start <= b.start and b.end <= end for start, end in spans)]
    return sorted(tells + kept, key=lambda f: (f.scope != "span", f.start))
