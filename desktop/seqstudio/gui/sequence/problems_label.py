"""Where a form lists what is wrong with its fields, one `field: message` per line."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class ProblemsLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #b42318;")

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        self.setText("\n".join(f"{field}: {message}" for field, message in problems))
