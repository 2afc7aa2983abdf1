"""Loads the C kernels hatch_build.py builds beside their source: the tell detector's
(core/tells/_tellscan*.c) and the plain-text walk (core/render/_textwalk.c).

A kernel is used only when it is built and was built from the source beside it; otherwise the
caller runs its pure-Python twin, which gives the same results. SEQSTUDIO_PURE_PYTHON=1 turns
every kernel off, e.g. to compare the two.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)


def kernel_sources(folder: Path, name: str) -> list[Path]:
    """A kernel's C files and headers in the order their hash is taken (hatch_build.py too)."""
    return sorted([*folder.glob(f"{name}*.c"), *folder.glob(f"{name}*.h")], key=lambda p: p.name)


def load_kernel(package: str, name: str) -> ModuleType | None:
    """The compiled module `package.name`, or None: not built, turned off, or built from an older
    source (an editable install whose C files changed since; reinstall to rebuild it)."""
    if os.environ.get("SEQSTUDIO_PURE_PYTHON"):
        return None
    try:
        module = importlib.import_module(f"{package}.{name}")
    except ImportError:
        return None
    sources = kernel_sources(Path(module.__file__ or "").parent, name)
    if sources:
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()
        if digest != module.SOURCE_SHA256:
            log.warning("the C kernel %s is older than its source; using Python (reinstall)", name)
            return None
    return module
