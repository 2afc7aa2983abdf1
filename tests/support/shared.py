"""Finding ../shared (test data beside the clone): skip with a reason where it is absent, as in a
user's clone, but fail under CI=true, where it must be there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is absent: the shared test data sits beside the clone in CI only"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + ", and CI=true requires it")
        pytest.skip(reason)
    return path
