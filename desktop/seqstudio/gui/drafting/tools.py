"""Everything drafting adds to the main window, built in one place: the actions (with their
shortcuts), the bar in the step editor, the progress in the status bar and the timeline's
right-click menu. The window adds the actions to its menus and calls `shutdown()` on close."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from seqstudio.gui.context import AppContext
from seqstudio.gui.drafting.controller import DraftController
from seqstudio.gui.drafting.draft_bar import DraftBar
from seqstudio.gui.drafting.progress import DraftProgress
from seqstudio.gui.drafting.states import DraftState
from seqstudio.gui.drafting.subjects import SubjectSuggester
from seqstudio.gui.sequence.workspace import SequenceWorkspace


class DraftingTools:
    def __init__(self, context: AppContext, workspace: SequenceWorkspace, window: QMainWindow) -> None:
        self._workspace = workspace
        self.controller = DraftController(context, workspace, window)
        self.subjects = SubjectSuggester(context, workspace, window)

        def action(text: str, shortcut: str, tip: str) -> QAction:
            act = QAction(text, window)
            act.setShortcut(QKeySequence(shortcut))
            act.setStatusTip(tip)
            window.addAction(act)  # shortcuts work wherever the focus is in the window
            return act

        tr = window.tr
        self.draft_action = action(
            tr("&Draft sequence"),
            "Ctrl+Shift+D",
            tr("Draft all six emails; steps you edited are asked about"),
        )
        self.redraft_action = action(
            tr("&Redraft this step"),
            "Ctrl+Shift+R",
            tr("Draft the shown step again, with the others as context"),
        )
        self.subjects_action = action(
            tr("Suggest &subject lines"), "Ctrl+Shift+J", tr("Subject-line variants for the shown step")
        )
        self.cancel_action = action(
            tr("&Cancel drafting"), "Ctrl+Shift+X", tr("Stop drafting; finished steps stay")
        )
        self.cancel_action.setEnabled(False)
        self.draft_action.triggered.connect(self.controller.draft_all)
        self.redraft_action.triggered.connect(lambda: self.controller.redraft_step())
        self.subjects_action.triggered.connect(self.subjects.suggest)
        self.cancel_action.triggered.connect(self.controller.cancel)
        self.actions = (self.draft_action, self.redraft_action, self.subjects_action, self.cancel_action)

        self.bar = DraftBar(self.controller, workspace)
        workspace.editor.add_bar(self.bar)
        self.progress = DraftProgress(self.controller, self.cancel_action)
        window.statusBar().addPermanentWidget(self.progress)
        self.controller.draft_finished.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.controller.busy_changed.connect(self._on_controller_busy_changed)
        self.subjects.busy_changed.connect(lambda busy: self.subjects_action.setEnabled(not busy))
        timeline = workspace.timeline
        timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        timeline.customContextMenuRequested.connect(self._on_timeline_menu_requested)

    def shutdown(self) -> None:
        """Cancel drafting and keep any draft still waiting for a choice in its step's history."""
        self.controller.shutdown()

    def _on_controller_busy_changed(self, busy: bool) -> None:
        for act in (self.draft_action, self.redraft_action):
            act.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)

    def _on_timeline_menu_requested(self, point: QPoint) -> None:
        timeline, sequence = self._workspace.timeline, self._workspace.sequence
        item = timeline.itemAt(point)
        if item is None or sequence is None:
            return
        position = timeline.row(item) + 1
        menu = QMenu(timeline)
        draft = self.controller.draft((sequence.id, position))
        if draft is not None and draft.state is DraftState.FAILED:
            retry = menu.addAction(timeline.tr("Retry draft"))
            retry.triggered.connect(lambda: self.controller.retry((sequence.id, position)))
        redraft = menu.addAction(timeline.tr("Redraft this step"))
        redraft.triggered.connect(lambda: self.controller.redraft_step(position))
        for act in menu.actions():
            act.setEnabled(not self.controller.busy)
        menu.exec(timeline.viewport().mapToGlobal(point))
