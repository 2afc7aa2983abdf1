"""Loading, off the GUI thread and before the first draft, what a first draft would otherwise load
half-way through, while the window repaints for every step that arrives. gui/app.py starts it
before it builds the window, so its own GIL holds fall where nobody is typing yet.

Why it matters: a worker busy importing and building keeps taking Python's GIL, and the GUI thread
needs the GIL back after every Qt call, so a repaint that usually takes milliseconds takes tens.
Measured with benchmarks/draft_gui_stall.py (2 busy cores): the longest stall of the first draft
fell from 95-150 ms to 23-68 ms. tiktoken's encoder alone (built in Rust) holds the GIL ~0.1 s, so it loads only when needed.
"""

from __future__ import annotations

import contextlib
import importlib

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.gui.tasks import TaskHandle, TaskRunner, freeze_long_lived_objects

# What the openai SDK and its HTTP stack import lazily on their first streamed chat request. A
# name missing in another version of a library is skipped: the warm-up only gets less complete.
FIRST_REQUEST_MODULES = (
    "openai.resources.chat.completions",
    "openai.lib.streaming.chat",
    "anyio._backends._asyncio",
    "anyio.streams.tls",
    "h11",
    "httpcore._backends.anyio",
    "httpcore2._backends.anyio",
    "truststore",
    "email.policy",
)


def warm_up_drafting(cancel: CancelToken, progress: ProgressFn) -> None:
    """Idempotent, cheap after the first call. The tokenizer is not loaded: tokens are counted
    locally only when a server reports no usage (core/drafting/llm.py)."""
    for name in FIRST_REQUEST_MODULES:
        cancel.raise_if_cancelled()
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def start_warm_up(runner: TaskRunner) -> TaskHandle:
    """Run `warm_up_drafting` in the pool; call once, as early as possible (before the window).
    Its end arrives through the event loop, so after the window is built: then the start-up heap
    is frozen, out of the garbage collector's long pauses (gui/tasks.py)."""
    return runner.run(
        "Preparing drafting",
        warm_up_drafting,
        owner=runner,
        on_done=lambda _none: freeze_long_lived_objects(),
    )
