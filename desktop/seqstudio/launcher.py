"""The `seqstudio` command: the CLI, with the window plugged in as the `gui` job.

It lives outside core/ and cli/ so that neither has to import Qt: the CLI receives the
window as a callable and only this module knows where it comes from.
"""

from __future__ import annotations

import argparse
import sys


def _run_gui(args: argparse.Namespace) -> int:
    from seqstudio.gui.app import run_app  # Qt loads only when the window is wanted

    return run_app(args)


def main(argv: list[str] | None = None) -> int:
    from seqstudio.cli.main import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, gui_runner=_run_gui)
