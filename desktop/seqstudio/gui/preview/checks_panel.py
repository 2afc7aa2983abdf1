"""The pre-send checks beside the preview: the selected email's and the whole sequence's."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHeaderView, QStyle, QTreeWidget, QTreeWidgetItem, QWidget

from seqstudio.core.render.findings import Check, Level

_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
_FIRST_STEP = re.compile(r"\bsteps? (\d+)")
CHECK_ROLE = Qt.ItemDataRole.UserRole  # the Check an item shows


class ChecksPanel(QTreeWidget):
    """Two groups, "This email" and "Sequence", each check with its level icon, id, message
    and where. Double-clicking a check that names a step asks for that step."""

    step_activated = Signal(int)  # a sequence check naming "step N" was double-clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels([self.tr("Check"), self.tr("Message"), self.tr("Where")])
        self.setRootIsDecorated(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the message gets the room
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._icons = {
            Level.ERROR: self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            Level.WARNING: self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            Level.INFO: self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
        }
        self._level_names = {
            Level.ERROR: self.tr("Error"),
            Level.WARNING: self.tr("Warning"),
            Level.INFO: self.tr("Note"),
        }
        self.email_group = self._group()
        self.sequence_group = self._group()
        self.itemDoubleClicked.connect(self._on_item_double_clicked)
        self.show_checks(None, (), ())

    def show_checks(
        self, position: int | None, email_checks: Iterable[Check], sequence_checks: Iterable[Check]
    ) -> None:
        """Replace both lists; `position` is the step the email checks belong to (None: no email)."""
        email = self._sorted(email_checks)
        if position is None:
            title = self.tr("This email")
        else:
            title = self.tr("Step {n} ({count})").format(n=position, count=len(email))
        self._fill(self.email_group, title, email)
        sequence = self._sorted(sequence_checks)
        self._fill(self.sequence_group, self.tr("Sequence ({count})").format(count=len(sequence)), sequence)

    def checks(self, group: QTreeWidgetItem) -> list[Check]:
        """The checks a group shows, in order (for tests and the status line)."""
        items = (group.child(i) for i in range(group.childCount()))
        found = [item.data(0, CHECK_ROLE) for item in items if item is not None]
        return [check for check in found if isinstance(check, Check)]

    def _group(self) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self)
        group.setFirstColumnSpanned(True)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return group

    def _sorted(self, checks: Iterable[Check]) -> list[Check]:
        return sorted(checks, key=lambda check: _LEVEL_ORDER.get(check.level, 3))  # stable: keeps order

    def _fill(self, group: QTreeWidgetItem, title: str, checks: list[Check]) -> None:
        group.setText(0, title)
        group.takeChildren()
        for check in checks:
            item = QTreeWidgetItem(group, [check.id, check.message, check.where])
            item.setIcon(0, self._icons.get(check.level, QIcon()))
            item.setData(0, CHECK_ROLE, check)
            level = self._level_names.get(check.level, check.level.value)
            item.setToolTip(0, level)
            item.setToolTip(1, check.message)  # the whole message where the column cuts it
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{level}: {check.id}")
        if not checks:
            none = QTreeWidgetItem(group, ["", self.tr("Nothing found")])
            none.setFlags(Qt.ItemFlag.ItemIsEnabled)
        group.setExpanded(True)

    def _on_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        check = item.data(0, CHECK_ROLE)
        if isinstance(check, Check) and (match := _FIRST_STEP.search(check.where)):
            self.step_activated.emit(int(match.group(1)))
