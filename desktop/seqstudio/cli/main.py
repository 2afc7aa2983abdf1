"""The command-line entry: one argparse parser with a sub-command per job.

Each job lives in its own module under seqstudio.cli with `register(subparsers)`, which adds its
parser and sets `handler`. A handler returns an exit code: 0 done, 1 partly failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from seqstudio import __version__
from seqstudio.cli import draft_job, export_jobs, history_jobs, key_job, library_jobs, lint_job, render_jobs
from seqstudio.core.errors import StudioError
from seqstudio.core.render.preview import PageShooterFactory

log = logging.getLogger(__name__)
GuiRunner = Callable[[argparse.Namespace], int]

# Every module here adds one or more jobs; later issues append theirs.
JOB_MODULES: list[Any] = [library_jobs, history_jobs, draft_job, key_job, export_jobs, render_jobs, lint_job]

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """Bad arguments give one clear line (and a pointer to --help), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(
    gui_runner: GuiRunner | None = None, page_shooter: PageShooterFactory | None = None
) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="seqstudio",
        description="Sequence Studio: draft, revise, preview and export six-step email sequences. "
        "Run without a job to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"seqstudio {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="library database file (default: SEQSTUDIO_DB or the user data dir)"
    )
    subparsers = parser.add_subparsers(title="jobs", metavar="JOB", parser_class=_Parser)
    for module in JOB_MODULES:
        module.register(subparsers)
    gui = subparsers.add_parser("gui", help="open the desktop window", description="Open the desktop window.")
    gui.add_argument("--open", metavar="FILE", help="import this flow file and open it")
    gui.add_argument(
        "--screenshot", metavar="PNG", help="render the main window to PNG and exit (offscreen too)"
    )
    gui.set_defaults(handler=_gui_handler(gui_runner))
    # Jobs that draw pages (preview, check) find the web engine here; None outside the launcher.
    parser.set_defaults(
        handler=_gui_handler(gui_runner), open=None, screenshot=None, page_shooter=page_shooter
    )
    return parser


def _gui_handler(gui_runner: GuiRunner | None) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        if gui_runner is None:
            print("seqstudio: error: the window is not available from this entry point", file=sys.stderr)
            return EXIT_BAD_INPUT
        return gui_runner(args)

    return handler


def main(
    argv: list[str], gui_runner: GuiRunner | None = None, page_shooter: PageShooterFactory | None = None
) -> int:
    args = build_parser(gui_runner, page_shooter).parse_args(argv)
    try:
        code: int = args.handler(args)
    except StudioError as error:
        log.warning("%s failed: %s %s", argv[:1], error.user_message, error.detail)
        print(f"seqstudio: error: {error.user_message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("seqstudio: cancelled", file=sys.stderr)
        return 130
    return code
