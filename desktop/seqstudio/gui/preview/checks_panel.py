"""The pre-send checks beside the preview: the selected email's and the whole sequence's."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from seqstudio.core.render.findings import Check, Level

_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
_FIRST_STEP = re.compile(r"\bsteps? (\d+)")
CHECK_ROLE = Qt.ItemDataRole.UserRole  # the Check an item shows


class ChecksPanel(QTreeWidget):
    """Two groups, "This email" and "Sequence"; each check one row: its level icon, the message,
    and under it the check's id and where. One wrapped column, so the message reads whole in a
    narrow pane (a table cut it to "Th…" beside a long "where"). Double-clicking a check that
    names a step asks for that step."""

    step_activated = Signal(int)  # a sequence check naming "step N" was double-clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(1)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setIndentation(0)
        self.setItemDelegate(_WrappedRows(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never scroll
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().sectionResized.connect(self._on_header_section_resized)
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
            place = f"{check.id} · {check.where}" if check.where else check.id
            item = QTreeWidgetItem(group, [f"{check.message}\n{place}"])
            item.setIcon(0, self._icons.get(check.level, QIcon()))
            item.setData(0, CHECK_ROLE, check)
            level = self._level_names.get(check.level, check.level.value)
            item.setToolTip(0, f"{level}: {check.id}")
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{level}: {check.message}")
        if not checks:
            none = QTreeWidgetItem(group, [self.tr("Nothing found")])
            none.setFlags(Qt.ItemFlag.ItemIsEnabled)
        group.setExpanded(True)

    def _on_header_section_resized(self, *_args: object) -> None:
        self.scheduleDelayedItemsLayout()  # wrapped messages take new heights at the new width

    def _on_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        check = item.data(0, CHECK_ROLE)
        if isinstance(check, Check) and (match := _FIRST_STEP.search(check.where)):
            self.step_activated.emit(int(match.group(1)))


class _WrappedRows(QStyledItemDelegate):
    """Rows as tall as their wrapped text: Qt's tree view asks a row's size with no width, so
    it counts only the hard line breaks and cuts a wrapped message with "…"."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        sized = QStyleOptionViewItem(option)
        self.initStyleOption(sized, index)
        sized.rect = QRect(0, 0, self._view.viewport().width(), 1)  # Qt wraps only in a valid rect
        sized.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        style = self._view.style()
        return style.sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, sized, QSize(), self._view)
