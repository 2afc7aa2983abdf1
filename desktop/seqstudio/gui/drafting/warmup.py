"""Loading, off the GUI thread and before the first draft, what a first draft would otherwise load
half-way through. Two of those hold Python's GIL for about 0.1 s each, which freezes the event
loop however the work is threaded: building tiktoken's encoder (in Rust) and the openai SDK's
lazily imported chat types (pydantic builds their validators). Plain Python, run by the runner."""

from __future__ import annotations

import importlib

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.drafting.tokens import counting_method


def warm_up_drafting(cancel: CancelToken, progress: ProgressFn) -> str:
    """Returns how tokens will be counted; idempotent, cheap after the first call."""
    method = counting_method()
    cancel.raise_if_cancelled()
    importlib.import_module("openai.resources.chat")
    return method
