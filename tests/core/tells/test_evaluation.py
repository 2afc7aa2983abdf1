"""The evaluation behind the rule weights: AUROC, surface masking, the tune / held-out split, and a
floor under the shipped rules' quality on the held-out part of the dev set (the issue's targets).
No timing here: speed lives in benchmarks/tells_speed.py."""

from __future__ import annotations

import pytest
from benchmarks.aitell_corpus import HELDOUT_AI_PROMPTS, load_corpus, mask_surface, select, truncate_words
from benchmarks.roc import auroc, bootstrap_interval

from seqstudio.core.tells.detector import SHIPPING_THRESHOLD, Detector
from tests.support.shared import shared_path


def test_auroc_counts_pairs_and_ties() -> None:
    assert auroc([3, 4], [1, 2]) == 1.0
    assert auroc([1, 2], [3, 4]) == 0.0
    assert auroc([1, 1], [1, 1]) == 0.5
    assert auroc([2, 0], [1]) == 0.5
    assert auroc([3, 2, 1], [2, 0]) == pytest.approx((2 + 1.5 + 1) / 6)
    with pytest.raises(ValueError):
        auroc([], [1])


def test_bootstrap_interval_brackets_the_estimate_and_is_repeatable() -> None:
    ai, human = [0.9, 0.8, 0.7, 0.4, 0.6], [0.1, 0.5, 0.3, 0.2]
    low, high = bootstrap_interval(ai, human, rounds=300)
    assert low <= auroc(ai, human) <= high <= 1.0
    assert (low, high) == bootstrap_interval(ai, human, rounds=300)


def test_masking_removes_the_marks_that_give_a_source_away() -> None:
    human = "Subject: Your trial ends\n\nHi {name},\n\nYour trial ends on {date}."
    ai = "## Why it matters\n\n- **Fast:** [Your Name] ships it\n\n---\n\nSee [our site](https://x.example)."
    assert mask_surface(human) == "\nHi Sam,\n\nYour trial ends on Sam."
    assert mask_surface(ai) == "Why it matters\n\nFast: Sam ships it\n\n\n\nSee our site."
    assert mask_surface("Betreff: Ihr Testzeitraum endet\n\nHallo {name},") == "\nHallo Sam,"
    assert truncate_words("one two\nthree four", 3) == "one two\nthree"


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_corpus(shared_path("eval", "aitell", "dev.jsonl"))


def test_the_split_shares_no_group_between_tune_and_heldout(corpus) -> None:  # type: ignore[no-untyped-def]
    tune = {(i.label, i.group) for i in select(corpus, "tune")}
    heldout = {(i.label, i.group) for i in select(corpus, "heldout")}
    assert tune and heldout and not tune & heldout
    assert {g for label, g in heldout if label == "ai"} == set(HELDOUT_AI_PROMPTS)
    for split in ("tune", "heldout"):
        labels = [i.label for i in select(corpus, split)]
        assert labels.count("human") >= 30 and labels.count("ai") >= 100


def test_heldout_quality_meets_the_issue_targets(corpus, en: Detector) -> None:  # type: ignore[no-untyped-def]
    items = select(corpus, "heldout")
    scores = [(i.is_ai, en.analyse(mask_surface(i.text)).tell_density) for i in items]
    ai = [s for is_ai, s in scores if is_ai]
    human = [s for is_ai, s in scores if not is_ai]
    assert auroc(ai, human) >= 0.85
    assert sum(s >= SHIPPING_THRESHOLD for s in human) / len(human) <= 0.20
    assert sum(s >= SHIPPING_THRESHOLD for s in ai) / len(ai) >= 0.60
