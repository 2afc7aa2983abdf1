from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import ExitCondition, Sequence, SequenceKind
from seqstudio.core.paths import shipped_dir


@pytest.fixture
def fernweh() -> Sequence:
    """The shipped example: a welcome flow with real copy in every step."""
    return read_flow_file(shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml").sequence


@pytest.fixture
def cart(fernweh: Sequence) -> Sequence:
    """The example's copy as a cart flow: first email after an hour, exits on an order."""
    steps = list(fernweh.steps)
    steps[0] = replace(steps[0], delay="PT1H")
    return replace(
        fernweh,
        id="seq_cart_test",
        kind=SequenceKind.CART_ABANDONMENT,
        name="Fernweh cart",
        steps=tuple(steps),
        exit_conditions=(ExitCondition("placed_order", "Placed an order since the flow started"),),
    )


@pytest.fixture
def example_path() -> Path:
    return shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
