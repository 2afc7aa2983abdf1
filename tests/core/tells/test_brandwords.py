"""A brand's words to avoid, flagged like tells but never counted as one."""

from __future__ import annotations

from seqstudio.core.model import Brand
from seqstudio.core.tells import Allowances, Flag
from seqstudio.core.tells.brandwords import BRAND_CATEGORY, BRAND_RULE_ID, BrandWords, with_brand_flags


def spans(words: BrandWords, text: str, allow: Allowances | None = None) -> list[str]:
    return [text[f.start : f.end] for f in words.flags_for_block(text, allow)]


def test_whole_words_and_phrases_in_any_case() -> None:
    words = BrandWords("Fernweh", ["cheap", "Best deal ever", "  ", "cheap"])
    assert words.words == ("Best deal ever", "cheap")
    text = "Cheap beans? Not cheaply made. The BEST deal ever, cheap-ish, and cheap."
    assert spans(words, text) == ["Cheap", "BEST deal ever", "cheap", "cheap"]
    (flag, *_rest) = words.flags_for_block(text)
    assert (flag.rule_id, flag.category, flag.scope) == (BRAND_RULE_ID, BRAND_CATEGORY, "span")
    assert flag.why == "Fernweh lists this among its words to avoid (Brand settings)."


def test_a_star_takes_every_ending_as_in_rule_packs() -> None:
    assert spans(BrandWords("B", ["cheap*"]), "cheaper and cheapest, not a bargain") == [
        "cheaper",
        "cheapest",
    ]


def test_ignored_passages_and_an_allowed_rule_pass() -> None:
    words = BrandWords("B", ["cheap"])
    assert spans(words, "cheap and Cheap", Allowances.of(phrases=["CHEAP"])) == []
    assert spans(words, "cheap", Allowances.of(rule_ids=[BRAND_RULE_ID])) == []
    assert spans(words, "cheap", Allowances.of(rule_ids=["en.buzz.verbs"])) == ["cheap"]


def test_no_words_flag_nothing_and_equal_brands_compare_equal() -> None:
    assert BrandWords("B", []).flags_for_block("anything at all") == []
    brand = Brand(name="Fernweh", words_to_avoid=("cheap", "deal"))
    assert BrandWords.of(brand) == BrandWords("Fernweh", ["deal", "cheap"])
    assert BrandWords.of(brand) != BrandWords("Other", ["deal", "cheap"])


def test_a_passage_a_tell_flags_is_not_flagged_again_for_the_brand() -> None:
    tell = Flag("en.buzz.verbs", "buzzword", 0, 6, "Unlock", 3, "why")
    document = Flag("en.doc.uniform", "low-burstiness", 0, 40, "", 2, "why", scope="document")
    words = BrandWords("B", ["unlock", "cheap"])
    text = "Unlock cheap beans, unlock them all now."
    merged = with_brand_flags([tell, document], words.flags_for_block(text))
    assert [(f.rule_id, f.start) for f in merged] == [
        ("en.buzz.verbs", 0),
        (BRAND_RULE_ID, 7),
        (BRAND_RULE_ID, 20),
        ("en.doc.uniform", 0),
    ]
    assert with_brand_flags([tell], []) == [tell]
