"""The open email's AI-tell score under the editor, in sight while the tells panel is closed."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from seqstudio.core.tells import SHIPPING_THRESHOLD
from seqstudio.gui.tells.review import EmailReview

FLAGGED_COLOUR = "#b42318"  # the score of an email that reads machine-written
QUIET_COLOUR = "#57606a"


class EmailScoreLabel(QLabel):
    """ "AI tells: 1.2 per 100 words · 2 flags", a link that asks for the panel."""

    panel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.linkActivated.connect(lambda _link: self.panel_requested.emit())

    def show_email(self, email: EmailReview | None) -> None:
        """The score of `email`; nothing for no email or an empty one."""
        if email is None or not email.report.words:
            self.clear()
            return
        flagged = email.density >= SHIPPING_THRESHOLD
        text = self.tr("AI tells {density:.1f}").format(density=email.density)
        if flagged:
            text += self.tr(" · reads machine-written")
        colour = FLAGGED_COLOUR if flagged else QUIET_COLOUR
        self.setText(f'<a href="panel" style="color: {colour};">{html.escape(text)}</a>')
        self.setToolTip(
            self.tr(
                "Tell density {density:.1f} per 100 words from {count} flags; from {threshold:g} an email"
                " reads machine-written. Click to open the AI tells panel."
            ).format(density=email.density, count=len(email.flags), threshold=SHIPPING_THRESHOLD)
        )
