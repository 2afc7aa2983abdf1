"""The tell detector's C kernels (_tellscan*.c, built by hatch_build.py) when they are built and
match their source; None otherwise, and the detector runs their pure-Python twins instead.

Both give the same results (tests/core/tells/test_native.py); the kernels are about twice as
fast per email. SEQSTUDIO_PURE_PYTHON=1 turns them off, e.g. to compare the two.
"""

from __future__ import annotations

from types import ModuleType

from seqstudio.core.native import load_kernel


def load_kernels() -> ModuleType | None:
    """The compiled module, or None (see seqstudio.core.native.load_kernel)."""
    return load_kernel("seqstudio.core.tells", "_tellscan")


KERNELS = load_kernels()
