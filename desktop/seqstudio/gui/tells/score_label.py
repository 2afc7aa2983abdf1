"""The open email's AI-tell score under the editor, in sight while the tells panel is closed."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel, QWidget

from seqstudio.core.tells import SHIPPING_THRESHOLD
from seqstudio.gui.tells.review import EmailReview

FLAGGED_COLOUR = "#b42318"  # the score of an email that reads machine-written
QUIET_COLOUR = "#57606a"
OVER_TARGET_COLOUR = "#b54708"  # a reading grade above the user's target, as the subject counter


class EmailScoreLabel(QLabel):
    """ "AI tells: 1.2 per 100 words · 2 flags", a link that asks for the panel."""

    panel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)  # a narrow editor wraps it rather than widening to fit it
        self.linkActivated.connect(lambda _link: self.panel_requested.emit())

    def shown_text(self) -> str:
        """What the label reads as, in plain words (no markup, ordinary spaces and hyphens)."""
        text = QTextDocumentFragment.fromHtml(self.text()).toPlainText()
        return text.replace("\u00a0", " ").replace("\u2011", "-")

    def show_email(self, email: EmailReview | None) -> None:
        """The score of `email`; nothing for no email or an empty one."""
        if email is None or not email.report.words:
            self.clear()
            return
        flagged = email.density >= SHIPPING_THRESHOLD
        tells = self.tr("AI tells {density:.1f}").format(density=email.density)
        if flagged:
            tells += self.tr(" · reads machine-written")
        grade = email.report.readability
        reading = self.tr("grade {grade:.1f}").format(grade=grade.grade)
        if grade.over_target:
            reading += self.tr(" (target {target:g})").format(target=grade.target_grade)
        self.setText(
            f'<a href="panel" style="color: {FLAGGED_COLOUR if flagged else QUIET_COLOUR};">'
            f"{_unbreakable(tells)}</a> · "
            f'<a href="panel" style="color: {OVER_TARGET_COLOUR if grade.over_target else QUIET_COLOUR};">'
            f"{_unbreakable(reading)}</a>"
        )
        self.setToolTip(
            self.tr(
                "Tell density {density:.1f} per 100 words from {count} flags; from {threshold:g} an email"
                " reads machine-written. Reading grade {grade:.1f} ({formula}). Click to open the AI"
                " tells panel."
            ).format(
                density=email.density,
                count=len(email.flags),
                threshold=SHIPPING_THRESHOLD,
                grade=grade.grade,
                formula=grade.grade_formula,
            )
        )


def _unbreakable(text: str) -> str:
    """`text` escaped, its parts joined by " · " the only places a narrow editor may wrap it:
    "grade / 2.8" and "machine- / written" read as noise."""
    parts = html.escape(text).split(" · ")
    return " · ".join(part.replace(" ", "&nbsp;").replace("-", "&#8209;") for part in parts)
