"""Scripts that print figures against a named baseline in the same run (`python -m benchmarks.NAME`).

The checkout's own desktop/ goes first on sys.path, so a benchmark measures the code beside it
even when another checkout of seqstudio is installed in the environment.
"""

import sys
from pathlib import Path

_DESKTOP = str(Path(__file__).resolve().parent.parent / "desktop")
if sys.path[:1] != [_DESKTOP]:
    sys.path.insert(0, _DESKTOP)
