"""What a preview is, without saying how it is made: the web engine lives in seqstudio.gui.

The CLI and the checks take a `PageShooter` (a callable) from whoever can make one, the launcher
or the window, so the core and the CLI never import Qt. Previews show how WebKit/Blink clients
(Apple Mail, iOS Mail, Gmail's apps, most webmail) draw the email, not Outlook on Windows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from seqstudio.core.errors import StudioError

PHONE_WIDTH = 375
DESKTOP_WIDTH = 600
ENGINE_NOTE = (
    "Shown as WebKit/Blink mail clients draw it (Apple Mail, Gmail apps, webmail), not Outlook on Windows."
)


class PreviewError(StudioError):
    """A preview could not be made: no web engine here, or the page did not load."""


@dataclass(frozen=True)
class PageShot:
    """One rendered page: a PNG of the whole page at `width` and what the engine measured."""

    png: bytes
    width: int  # the viewport width asked for
    height: int  # the height of the PNG (the page's full height, capped)
    scroll_width: int  # the page's laid-out width: more than `width` means sideways scrolling
    scroll_height: int


class PageShooter(Protocol):
    def __call__(
        self,
        html: str,
        *,
        width: int,
        allow_remote_images: bool = False,
        dark: bool = False,
        base_url: str = "",
    ) -> PageShot:
        """Render `html` at `width` CSS px with JavaScript off and return the PNG and sizes.

        Remote images (and any other http(s) fetch) are blocked unless `allow_remote_images`;
        `base_url` resolves relative paths (a file:// folder for local images). Raises
        PreviewError when the engine cannot start or the page does not load.
        """
        ...


# The launcher hands the CLI a factory, so Qt starts only for a job that takes a screenshot.
PageShooterFactory = Callable[[], PageShooter]
