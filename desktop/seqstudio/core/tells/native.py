"""The tell detector's C kernels (_tellscan*.c, built by hatch_build.py) when they are built and
match their source; None otherwise, and the detector runs their pure-Python twins instead.

Both give the same results (tests/core/tells/test_native.py); the kernels are about twice as
fast per email. SEQSTUDIO_PURE_PYTHON=1 turns them off, e.g. to compare the two.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)


def load_kernels() -> ModuleType | None:
    """The compiled module, or None: not built, turned off, or built from an older source (an
    editable install whose _tellscan*.c changed since; reinstall to rebuild it)."""
    if os.environ.get("SEQSTUDIO_PURE_PYTHON"):
        return None
    try:
        from seqstudio.core.tells import _tellscan
    except ImportError:
        return None
    # The hash hatch_build.py took of the sources it built from: their bytes in name order.
    folder = Path(__file__).parent
    sources = sorted([*folder.glob("_tellscan*.c"), *folder.glob("_tellscan*.h")], key=lambda p: p.name)
    if sources:
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()
        if digest != _tellscan.SOURCE_SHA256:
            log.warning("the tell detector's C kernels are older than their source; using Python (reinstall)")
            return None
    return _tellscan


KERNELS = load_kernels()
