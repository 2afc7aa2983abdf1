"""AUROC (the Mann-Whitney probability that an AI text outscores a human one) with a bootstrap interval."""

from __future__ import annotations

import random
from collections.abc import Sequence


def auroc(ai_scores: Sequence[float], human_scores: Sequence[float]) -> float:
    """P(score of a random AI text > that of a random human text), ties counting one half."""
    if not ai_scores or not human_scores:
        raise ValueError("AUROC needs at least one text of each label")
    ranked = sorted([(s, 1) for s in ai_scores] + [(s, 0) for s in human_scores])
    rank_sum_ai = 0.0
    index = 0
    while index < len(ranked):
        end = index
        while end + 1 < len(ranked) and ranked[end + 1][0] == ranked[index][0]:
            end += 1
        mid_rank = (index + end) / 2 + 1  # 1-based average rank of the tie block
        rank_sum_ai += mid_rank * sum(1 for k in range(index, end + 1) if ranked[k][1] == 1)
        index = end + 1
    n_ai, n_human = len(ai_scores), len(human_scores)
    return (rank_sum_ai - n_ai * (n_ai + 1) / 2) / (n_ai * n_human)


def bootstrap_interval(
    ai_scores: Sequence[float],
    human_scores: Sequence[float],
    *,
    rounds: int = 2000,
    seed: int = 5,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile interval of AUROC, resampling each label on its own (stratified), fixed seed."""
    rng = random.Random(seed)
    values = []
    for _ in range(rounds):
        ai = [ai_scores[rng.randrange(len(ai_scores))] for _ in ai_scores]
        human = [human_scores[rng.randrange(len(human_scores))] for _ in human_scores]
        values.append(auroc(ai, human))
    values.sort()
    low = values[int((1 - level) / 2 * rounds)]
    high = values[min(rounds - 1, int((1 + level) / 2 * rounds))]
    return low, high
