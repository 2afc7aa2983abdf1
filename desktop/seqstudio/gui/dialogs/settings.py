"""Settings: the drafting provider (OpenAI, an OpenAI-compatible endpoint, or offline), base URL,
model, temperature and the API key.

The key goes to the system keyring through SecretStore, never into the preferences file; where no
keyring exists the dialog says so and offers the key for this session only. Preferences are
written atomically when the user presses Save; Cancel changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.drafting import ProviderSettings
from seqstudio.core.errors import StudioError
from seqstudio.core.preferences import TellPreferences
from seqstudio.core.secrets import API_KEY_ENTRY, NO_KEYRING, SecretStoreError
from seqstudio.gui.context import AppContext
from seqstudio.gui.drafting.connection import CheckOutcome, ConnectionCheck, check_connection
from seqstudio.gui.tasks import TaskHandle

OPENAI, COMPATIBLE, OFFLINE = "openai", "compatible", "offline"
PROBLEM_STYLE = "color: #b42318;"


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._context = context
        self._secrets = context.secrets
        self._check: TaskHandle | None = None
        provider = context.preferences.provider

        self.provider = QComboBox(self)
        self.provider.addItem(self.tr("OpenAI"), OPENAI)
        self.provider.addItem(self.tr("OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, …)"), COMPATIBLE)
        self.provider.addItem(self.tr("Offline drafts (no network)"), OFFLINE)
        kind = OFFLINE if provider.offline else COMPATIBLE if provider.base_url else OPENAI
        self.provider.setCurrentIndex(self.provider.findData(kind))
        self.base_url = QLineEdit(provider.base_url, self)
        self.model = QLineEdit(provider.model, self)
        self.temperature = QDoubleSpinBox(self)
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.temperature.setValue(provider.temperature)
        tells = context.preferences.tells
        self.target_grade = QDoubleSpinBox(self)
        self.target_grade.setRange(1.0, 18.0)
        self.target_grade.setSingleStep(0.5)
        self.target_grade.setDecimals(1)
        self.target_grade.setValue(tells.target_grade)
        self.target_grade.setToolTip(
            self.tr("The review panel warns when an email reads above this school grade.")
        )
        self.long_sentence_words = QSpinBox(self)
        self.long_sentence_words.setRange(10, 80)
        self.long_sentence_words.setSuffix(self.tr(" words"))
        self.long_sentence_words.setValue(tells.long_sentence_words)
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(self.tr("Leave empty to keep the current key"))
        self.session_only = QCheckBox(self.tr("Use this key for this session only (not stored)"), self)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        self.forget_key = QPushButton(self.tr("Remove stored key"), self)
        self.key_status = QLabel(self)
        self.key_status.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_result = QLabel(self)
        self.test_result.setWordWrap(True)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )

        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.forget_key)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        form = QFormLayout()
        form.addRow(self.tr("Provider"), self.provider)
        form.addRow(self.tr("Base URL"), self.base_url)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("API key"), key_row)
        form.addRow("", self.session_only)
        form.addRow("", self.keyring_note)
        form.addRow(self.tr("Key in use"), self.key_status)
        form.addRow(self.tr("Reading grade target"), self.target_grade)
        form.addRow(self.tr("Mark sentences longer than"), self.long_sentence_words)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        if not self._secrets.keyring_available:
            self.keyring_note.setText(NO_KEYRING.format(backend=self._secrets.backend_name))
            self.keyring_note.setStyleSheet(PROBLEM_STYLE)
            self.session_only.setChecked(True)
            self.session_only.setEnabled(False)  # there is nowhere else to keep it
        else:
            self.keyring_note.hide()
        self.provider.currentIndexChanged.connect(self._update_fields)
        self.forget_key.clicked.connect(self._on_forget_key_clicked)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(self._on_finished)
        self._update_fields()
        self._show_key_status()

    def provider_settings(self) -> ProviderSettings:
        """The provider settings as the fields show them (other settings kept as they were)."""
        kind = self.provider.currentData()
        return replace(
            self._context.preferences.provider,
            offline=kind == OFFLINE,
            base_url=self.base_url.text().strip().rstrip("/") if kind == COMPATIBLE else "",
            model=self.model.text().strip(),
            temperature=round(self.temperature.value(), 2),
        )

    def _problems(self, settings: ProviderSettings) -> list[str]:
        problems = []
        if self.provider.currentData() == COMPATIBLE and not settings.base_url.startswith(
            ("http://", "https://")
        ):
            problems.append(self.tr("The base URL must start with http:// or https://."))
        if not settings.offline and not settings.model:
            problems.append(self.tr("Enter a model name, e.g. gpt-4o-mini or llama3.1."))
        return problems

    def _on_save_clicked(self) -> None:
        settings = self.provider_settings()
        problems = self._problems(settings)
        if problems:
            self.problems.setText("\n".join(problems))
            return
        key = self.api_key.text().strip()
        try:
            if key and self.session_only.isChecked():
                self._secrets.set_session_key(key)
            elif key:
                self._secrets.set_api_key(key)
            tells = TellPreferences(
                target_grade=round(self.target_grade.value(), 1),
                long_sentence_words=self.long_sentence_words.value(),
            )
            self._context.save_preferences(replace(self._context.preferences, provider=settings, tells=tells))
        except StudioError as error:
            self.problems.setText(error.user_message)
            self._show_key_status()  # the key may be stored even though the rest failed
            return
        except OSError as error:
            self.problems.setText(
                self.tr("The preferences could not be written: {error}").format(error=error)
            )
            self._show_key_status()
            return
        self.api_key.clear()  # do not keep the key in a widget longer than needed
        self.accept()

    def _on_forget_key_clicked(self) -> None:
        try:
            removed = self._secrets.delete_api_key()
        except SecretStoreError as error:
            self.problems.setText(error.user_message)
            return
        self.test_result.setText(
            self.tr("The stored key was removed.") if removed else self.tr("No key was stored.")
        )
        self._show_key_status()

    def _on_test_button_clicked(self) -> None:
        settings = self.provider_settings()
        problems = self._problems(settings)
        if problems:
            self.test_result.setText("\n".join(problems))
            return
        typed, secrets = self.api_key.text(), self._secrets

        def work(cancel: CancelToken, progress: ProgressFn) -> ConnectionCheck:
            return check_connection(settings, secrets, typed, cancel)

        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Testing…"))
        self._check = self._context.runner.run(
            self.tr("Testing the connection"),
            work,
            owner=self,
            on_done=self._on_check_done,
            on_error=self._on_check_failed,
            on_cancelled=lambda: self.test_button.setEnabled(True),
        )

    def _on_check_done(self, check: ConnectionCheck) -> None:
        self._check = None
        self.test_button.setEnabled(True)
        text = {
            CheckOutcome.CONNECTED: self.tr("Connected to {where}: {model} answered in {seconds} s."),
            CheckOutcome.OFFLINE: self.tr("Offline drafting uses no connection."),
            CheckOutcome.NO_KEY: self.tr("No API key and no endpoint: drafts would be written offline."),
        }[check.outcome]
        self.test_result.setText(
            text.format(where=check.where, model=check.model, seconds=f"{check.seconds:.1f}")
        )

    def _on_check_failed(self, error: StudioError) -> None:
        self._check = None
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(PROBLEM_STYLE)
        self.test_result.setText(error.user_message)

    def _update_fields(self) -> None:
        kind = self.provider.currentData()
        self.base_url.setEnabled(kind == COMPATIBLE)
        # a disabled field showing an address would look like a value in use
        self.base_url.setPlaceholderText(
            self.tr("e.g. http://localhost:11434/v1") if kind == COMPATIBLE else ""
        )
        for widget in (self.model, self.temperature, self.api_key, self.test_button):
            widget.setEnabled(kind != OFFLINE)

    def _show_key_status(self) -> None:
        """Say which key is in use, and offer Remove only when the keyring holds one."""
        try:
            self.key_status.setText(self._secrets.status().message)
            stored = self._secrets.stored(API_KEY_ENTRY) is not None
        except SecretStoreError as error:
            self.key_status.setText(error.user_message)
            stored = False
        self.forget_key.setEnabled(stored)
        self.forget_key.setToolTip("" if stored else self.tr("No key is stored in the system keyring."))

    def _on_finished(self, _result: int) -> None:
        if self._check is not None:
            self._check.cancel()  # its answer would have nowhere to go
