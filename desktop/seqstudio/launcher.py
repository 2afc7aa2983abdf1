"""The `seqstudio` command: the CLI, with the window plugged in as the `gui` job.

It lives outside core/ and cli/ so that neither has to import Qt: the CLI receives the
window as a callable and only this module knows where it comes from.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys


def _run_gui(args: argparse.Namespace) -> int:
    from seqstudio.gui.app import run_app  # Qt loads only when the window is wanted

    return run_app(args)


def _log_to_file() -> None:
    """Errors' details go to a rotating log in the user data folder (never keys or copy)."""
    from seqstudio.core.paths import user_data_dir

    try:
        folder = user_data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / "seqstudio.log", maxBytes=1_000_000, backupCount=3
        )
    except OSError:
        return  # a read-only home must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    from seqstudio.cli.main import main as cli_main

    _log_to_file()
    return cli_main(sys.argv[1:] if argv is None else argv, gui_runner=_run_gui)
