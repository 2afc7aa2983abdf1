"""Detectors built once per test session: compiling a pack costs a few hundred milliseconds at most."""

from __future__ import annotations

import pytest

from seqstudio.core.tells.detector import Detector
from seqstudio.core.tells.rules import load_rule_set


@pytest.fixture(scope="session")
def en() -> Detector:
    return Detector(load_rule_set("en", user_dirs=()))


@pytest.fixture(scope="session")
def de() -> Detector:
    return Detector(load_rule_set("de", user_dirs=()))
