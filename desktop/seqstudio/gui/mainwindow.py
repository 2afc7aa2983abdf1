"""The main window: layout, menus and the one block of wiring between the panels."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QSplitter, QWidget

from seqstudio.core.errors import StudioError
from seqstudio.core.export.state import load_library_meta, save_library_meta
from seqstudio.core.flowfile import write_flow_file
from seqstudio.core.flowimport import import_flow_file
from seqstudio.core.model import Sequence, copy_of
from seqstudio.gui.context import AppContext
from seqstudio.gui.dialogs.history import RevisionHistoryDialog
from seqstudio.gui.dialogs.new_sequence import NewSequenceDialog
from seqstudio.gui.dialogs.settings import SettingsDialog
from seqstudio.gui.drafting import DraftingTools
from seqstudio.gui.export.export_dialog import ExportDialog
from seqstudio.gui.export.send_test_dialog import SendTestDialog
from seqstudio.gui.export.simulate_dialog import SimulateDialog
from seqstudio.gui.file_drops import FileDrops
from seqstudio.gui.preview.file_check_dialog import FILE_FILTER, EmailFileCheckDialog
from seqstudio.gui.preview.pane import PreviewPane
from seqstudio.gui.sequence.library_panel import LibraryPanel
from seqstudio.gui.sequence.workspace import SequenceWorkspace
from seqstudio.gui.tells import TellsTools


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.secrets = context.secrets  # the one SecretStore: the LLM key and the export secrets
        self.setWindowTitle("Sequence Studio")
        self.library_panel = LibraryPanel(self)
        self.workspace = SequenceWorkspace(context.library, self)
        self.preview = PreviewPane(context.runner, self.workspace, self)
        self.workspace.splitter.addWidget(self.preview)  # a third column beside the editor
        self.workspace.splitter.setStretchFactor(2, 3)  # room to grow, as much as the editor
        self.workspace.splitter.setCollapsible(2, False)  # hidden only through View, never dragged to 0
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.library_panel)
        self.splitter.addWidget(self.workspace)
        self.splitter.setStretchFactor(1, 4)
        self.setCentralWidget(self.splitter)
        self.drafting = DraftingTools(context, self.workspace, self)
        self._build_menus()
        self._build_view_menu()
        self.tells = TellsTools(context, self.workspace, self)
        self.tells.install_menu(self.menuBar(), before=self.menus["help"].menuAction())
        self.library_panel.sequence_chosen.connect(self._on_library_sequence_chosen)
        self.workspace.saved.connect(lambda message: self.statusBar().showMessage(message, 3000))
        self.workspace.settings_saved.connect(self.refresh_library)
        self.workspace.settings_saved.connect(self._show_title)  # a rename
        self.workspace.current_step_changed.connect(self._show_title)  # opened, or closed
        self.workspace.save_failed.connect(self.show_error)
        self.context.runner.error_raised.connect(self.show_error)
        self.drops = FileDrops(self)  # a flow file dropped on the window opens, an email is checked
        self.setAcceptDrops(True)
        self.installEventFilter(self.drops)
        self.drops.flow_dropped.connect(self.import_flow_file)
        self.drops.email_dropped.connect(self.check_email_file)
        self.resize(1280, 820)
        self._restore_state()
        self.statusBar().showMessage(self.tr("Library: {path}").format(path=context.library.path))

    def _build_menus(self) -> None:
        def action(
            menu_name: str,
            text: str,
            slot: Callable[[], object],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        ) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            self.menus[menu_name].addAction(act)
            return act

        bar = self.menuBar()
        self.menus = {
            name: bar.addMenu(title)
            for name, title in (
                ("file", self.tr("&File")),
                ("edit", self.tr("&Edit")),
                ("step", self.tr("&Step")),
                ("draft", self.tr("D&raft")),
                ("help", self.tr("&Help")),
            )
        }
        self.new_action = action(
            "file", self.tr("&New sequence…"), self.new_sequence, QKeySequence.StandardKey.New
        )
        action("file", self.tr("&Import flow file…"), self.import_flow_file, QKeySequence.StandardKey.Open)
        self.export_action = action("file", self.tr("&Export flow file…"), self.export_flow_file, "Ctrl+E")
        action("file", self.tr("Export &to…"), self.show_export, "Ctrl+Shift+E")
        action("file", self.tr("Send &test email…"), self.show_send_test, "Ctrl+T")
        action("file", self.tr("&Check an email file…"), self.check_email_file)
        action("file", self.tr("&Simulate…"), self.show_simulate)
        action("file", self.tr("D&uplicate sequence"), self.duplicate_sequence, "Ctrl+D")
        action("file", self.tr("&Delete sequence…"), self.delete_sequence)
        self.menus["file"].addSeparator()
        self.settings_action = action("file", self.tr("&Settings…"), self.show_settings, "Ctrl+,")
        self.menus["file"].addSeparator()
        action("file", self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        action("edit", self.tr("&Undo"), lambda: self._focused_edit("undo"), QKeySequence.StandardKey.Undo)
        action("edit", self.tr("&Redo"), lambda: self._focused_edit("redo"), QKeySequence.StandardKey.Redo)
        action(
            "edit",
            self.tr("&Find sequence"),
            self.library_panel.search.setFocus,
            QKeySequence.StandardKey.Find,
        )
        for position in range(1, 7):
            action(
                "step",
                self.tr("Step {n}").format(n=position),
                functools.partial(self.workspace.select_step, position),
                f"Ctrl+{position}",
            )
        self.menus["step"].addSeparator()
        action("step", self.tr("&Approve"), self.workspace.editor.approved.toggle, "Ctrl+Shift+A")
        self.history_action = action("step", self.tr("&History…"), self.show_history, "Ctrl+H")
        self.menus["draft"].addActions(list(self.drafting.actions[:3]))
        self.menus["draft"].addSeparator()
        self.menus["draft"].addAction(self.drafting.cancel_action)
        action("help", self.tr("Where is my data?"), self._show_data_location)

    def _build_view_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&View"))
        self.menuBar().insertMenu(self.menus["help"].menuAction(), menu)  # keep Help last
        self.menus["view"] = menu
        self.preview_action = QAction(self.tr("&Preview and checks"), self)
        self.preview_action.setCheckable(True)
        self.preview_action.setChecked(True)
        self.preview_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.preview_action.toggled.connect(self.preview.setVisible)
        menu.addAction(self.preview_action)

    def _focused_edit(self, verb: str) -> None:
        widget = QApplication.focusWidget()
        if widget is not None and hasattr(widget, verb):
            getattr(widget, verb)()  # QLineEdit and QPlainTextEdit keep their own undo stacks

    # Library

    def refresh_library(self, current_id: str | None = None) -> None:
        current = current_id or (self.workspace.sequence.id if self.workspace.sequence else None)
        self.library_panel.set_summaries(self.context.library.list_sequences(), current)

    def open_sequence(self, sequence_id: str, position: int = 1) -> None:
        try:
            self.workspace.open_sequence(sequence_id, position)
        except StudioError as error:
            self.show_error(error)
            return
        self.library_panel.select(sequence_id)

    def _show_title(self, *_changed: object) -> None:
        sequence = self.workspace.sequence
        self.setWindowTitle(f"{sequence.name} · Sequence Studio" if sequence else "Sequence Studio")

    def _on_library_sequence_chosen(self, sequence_id: str) -> None:
        if self.workspace.sequence is None or self.workspace.sequence.id != sequence_id:
            self.open_sequence(sequence_id)

    def new_sequence(self) -> None:
        self.workspace.flush()
        known = self.context.library.known_brands()
        dialog = NewSequenceDialog(self.context.blueprints.load(), known, self)
        if dialog.exec() and dialog.sequence is not None:
            self.context.library.add_sequence(dialog.sequence)
            self.refresh_library(dialog.sequence.id)
            self.open_sequence(dialog.sequence.id)

    def import_flow_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import flow file"), "", self.tr("Flow files (*.yaml *.yml)")
            )
        if not path:
            return
        self.workspace.flush()
        try:
            sequence = import_flow_file(self.context.library, Path(path)).sequence
        except StudioError as error:
            self.show_error(error)
            return
        self.workspace.sequence = None  # reload from the library even if it was open
        self.refresh_library(sequence.id)
        self.open_sequence(sequence.id)

    def export_flow_file(self) -> None:
        if self.workspace.sequence is None or not self.workspace.flush():
            return
        sequence = self.workspace.sequence
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export flow file"), f"{sequence.name}.yaml", "YAML (*.yaml)"
        )
        if path:
            try:
                write_flow_file(Path(path), sequence, meta=load_library_meta(sequence.id))
            except (StudioError, OSError) as error:
                self.show_error(error if isinstance(error, StudioError) else StudioError(str(error)))
                return
            self.statusBar().showMessage(self.tr("Wrote {path}").format(path=path), 5000)

    def duplicate_sequence(self) -> None:
        if self.workspace.sequence is None or not self.workspace.flush():
            return
        copy = copy_of(
            self.workspace.sequence, self.tr("{name} (copy)").format(name=self.workspace.sequence.name)
        )
        self.context.library.add_sequence(copy)
        self.refresh_library(copy.id)
        self.open_sequence(copy.id)

    def show_export(self) -> None:
        sequence = self._flushed_sequence()
        if sequence is None:
            return
        dialog = ExportDialog(
            sequence,
            load_library_meta(sequence.id),
            secrets=self.secrets,
            runner=self.context.runner,
            keep_meta=lambda meta: save_library_meta(sequence.id, meta),
            parent=self,
        )
        dialog.exec()

    def check_email_file(self, path: Path | None = None) -> EmailFileCheckDialog | None:
        """Preview and check any HTML email or saved message (asks for the file unless given)."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Check an email file"), "", self.tr(FILE_FILTER)
            )
            if not chosen:
                return None
            path = Path(chosen)
        dialog = EmailFileCheckDialog(path, self.context.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the sequence stays open for editing beside it
        return dialog

    def show_send_test(self) -> None:
        sequence = self._flushed_sequence()
        if sequence is not None:
            SendTestDialog(
                sequence,
                self.workspace.position,
                secrets=self.secrets,
                runner=self.context.runner,
                ui_state=self.context.ui_state,  # the last test's address and server, as the window's
                parent=self,
            ).exec()

    def show_simulate(self) -> None:
        sequence = self._flushed_sequence()
        if sequence is not None:
            SimulateDialog(sequence, runner=self.context.runner, parent=self).exec()

    def _flushed_sequence(self) -> Sequence | None:
        """The open sequence with every edit saved, or None (nothing open, or settings to fix)."""
        if self.workspace.sequence is None or not self.workspace.flush():
            return None
        return self.workspace.sequence

    def delete_sequence(self) -> None:
        sequence = self.workspace.sequence
        if sequence is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete sequence"),
            self.tr("Delete '{name}' and its whole history? Export it first if you may want it back.").format(
                name=sequence.name
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.workspace.close_sequence()
            self.context.library.delete_sequence(sequence.id)
            self.refresh_library()

    # Steps

    def show_history(self) -> None:
        step = self.workspace.current_step()
        if step is None:
            return
        self.workspace.flush()
        step = self.workspace.current_step()
        assert step is not None
        dialog = RevisionHistoryDialog(self.context.library.step_revisions(step.id), step, self)
        if dialog.exec() and dialog.chosen_revision is not None:
            restored = self.context.library.restore_step_revision(dialog.chosen_revision.id)
            self.workspace.reload_step(restored)
            self.statusBar().showMessage(
                self.tr("Restored an earlier version of step {n}").format(n=restored.position), 5000
            )

    def show_settings(self) -> None:
        if SettingsDialog(self.context, self).exec():
            self.statusBar().showMessage(self.tr("Settings saved"), 3000)
        # Reading targets and the model decide the tells review; Forget key acts even on Cancel.
        self.tells.refresh_now()

    # Errors, state, closing

    def show_error(self, error: StudioError) -> None:
        QMessageBox.warning(self, self.tr("Sequence Studio"), error.user_message)

    def _show_data_location(self) -> None:
        QMessageBox.information(
            self,
            self.tr("Where is my data?"),
            self.tr("Your library is {path}").format(path=self.context.library.path),
        )

    def _restore_state(self) -> None:
        state = self.context.ui_state
        geometry = state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for key, splitter in (
            ("window/splitter", self.splitter),
            ("window/workspace", self.workspace.splitter),
        ):
            value = state.value(key)
            if isinstance(value, QByteArray):
                splitter.restoreState(value)
        self.preview.restore_state(state)
        self.preview_action.setChecked(str(state.value("view/preview", "true")).lower() == "true")
        self.preview.setVisible(self.preview_action.isChecked())  # restoreState may have hidden it
        self.refresh_library()
        last = state.value("library/last_sequence")
        if isinstance(last, str) and last in self.library_panel.visible_ids():  # no search yet: all
            self.open_sequence(last, int(str(state.value("library/last_step", 1) or 1)))

    def _save_state(self) -> None:
        state = self.context.ui_state
        state.setValue("window/geometry", self.saveGeometry())
        state.setValue("window/splitter", self.splitter.saveState())
        state.setValue("window/workspace", self.workspace.splitter.saveState())
        state.setValue("view/preview", self.preview_action.isChecked())
        self.preview.save_state(state)
        if self.workspace.sequence is not None:
            state.setValue("library/last_sequence", self.workspace.sequence.id)
            state.setValue("library/last_step", self.workspace.position)
        state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.workspace.flush():
            answer = QMessageBox.question(
                self,
                self.tr("Unsaved settings"),
                self.tr(
                    "Some sequence settings have problems and were not saved (see the Sequence tab). Quit anyway?"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._save_state()
        self.drafting.shutdown()
        self.context.runner.shutdown()
        self.preview.shutdown()  # after the runner: no render result arrives for a freed page
        for dialog in self.findChildren(EmailFileCheckDialog):
            dialog.close()  # frees its pages before their profile; it would outlive the window
        event.accept()
