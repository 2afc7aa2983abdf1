"""Runnable speed measurements: `python -m benchmarks.<name>` prints figures against a named
baseline measured in the same run. Speed is never asserted in tests.

The checkout's own desktop/ goes first on sys.path, so a benchmark measures the code beside it
even when another checkout of seqstudio is installed in the environment (a shared venv).
"""

import sys
from pathlib import Path

_DESKTOP = str(Path(__file__).resolve().parent.parent / "desktop")
if sys.path[:1] != [_DESKTOP]:
    sys.path.insert(0, _DESKTOP)
