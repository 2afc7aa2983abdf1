"""The `seqstudio` command: the CLI, with the window plugged in as the `gui` job.

It lives outside core/ and cli/ so that neither has to import Qt: the CLI receives the
window, and the web engine that draws previews, as callables; only this module knows where
they come from.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seqstudio.core.render.preview import PageShooter


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


def _page_shooter() -> PageShooter:
    from seqstudio.gui.preview.snapshot import headless_shooter  # Qt loads only for a preview

    return headless_shooter()


def main(argv: list[str] | None = None) -> int:
    from seqstudio.cli.main import main as cli_main

    _log_to_file()
    return cli_main(sys.argv[1:] if argv is None else argv, gui_runner=_run_gui, page_shooter=_page_shooter)
