"""Send test: one step as a real email to the user's own address, through their SMTP server."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.export import credentials
from seqstudio.core.export.delivery import send_test
from seqstudio.core.export.rendering import default_render
from seqstudio.core.export.smtp import SmtpTarget
from seqstudio.core.model import Sequence
from seqstudio.core.secrets import SecretStore
from seqstudio.core.validation import is_email_address
from seqstudio.gui.context import ui_state_settings
from seqstudio.gui.tasks import TaskHandle, TaskRunner

DEFAULT_SERVER = "localhost:25"
# UI state: what the last successful test went to and through (never the password)
LAST_TO, LAST_SERVER, LAST_STARTTLS, LAST_USER = (
    "send_test/to",
    "send_test/server",
    "send_test/starttls",
    "send_test/user",
)


class SendTestDialog(QDialog):
    """To starts empty, or at the address the last test went to; never at the brand's own
    addresses, which are the shop's customer inbox. Send is enabled only for a valid address.
    The password goes to the keyring (per server and user), never to preferences, UI state or logs."""

    def __init__(
        self,
        sequence: Sequence,
        position: int,
        *,
        secrets: SecretStore,
        runner: TaskRunner,
        ui_state: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Send a test email"))
        self.sequence, self.secrets, self.runner = sequence, secrets, runner
        self.ui_state = ui_state if ui_state is not None else ui_state_settings()
        self.handle: TaskHandle | None = None
        self.message_id = ""
        self.step = QComboBox(self)
        for step in sequence.steps:
            self.step.addItem(f"{step.position}. {step.email.subject or step.purpose}", step.position)
        self.step.setCurrentIndex(position - 1)
        self.to = QLineEdit(str(self.ui_state.value(LAST_TO, "")), self)
        self.to.setPlaceholderText(self.tr("you@yourcompany.com"))
        self.server = QLineEdit(str(self.ui_state.value(LAST_SERVER, DEFAULT_SERVER)), self)
        self.server.setPlaceholderText("smtp.example.com:587")
        self.starttls = QCheckBox(self.tr("Use STARTTLS"), self)
        self.starttls.setChecked(bool(self.ui_state.value(LAST_STARTTLS, False, type=bool)))
        self.user = QLineEdit(str(self.ui_state.value(LAST_USER, "")), self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("kept in the system keyring; leave empty to use the stored one")
        )
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.send_button = self.buttons.addButton(self.tr("Send"), QDialogButtonBox.ButtonRole.ApplyRole)
        close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        for button in (close_button, self.send_button):
            button.setAutoDefault(False)  # Enter sends once To is valid, and never closes
        self.send_button.setDefault(True)
        form = QFormLayout()
        form.addRow(self.tr("Step"), self.step)
        form.addRow(self.tr("To"), self.to)
        form.addRow(self.tr("SMTP server"), self.server)
        form.addRow("", self.starttls)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(self.tr("The subject starts with [TEST]; the unsubscribe headers are the real ones."))
        )
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.send_button.clicked.connect(self.start_send)
        self.to.textChanged.connect(self._update_send_button)
        self.buttons.rejected.connect(self.reject)
        self._update_send_button()

    def _update_send_button(self) -> None:
        self.send_button.setEnabled(self.handle is None and is_email_address(self.to.text().strip()))

    def start_send(self) -> None:
        to = self.to.text().strip()
        if not is_email_address(to):
            self.message.setText(self.tr("'{to}' is not an email address.").format(to=to))
            return
        try:
            target = SmtpTarget.parse(
                self.server.text().strip(), starttls=self.starttls.isChecked(), user=self.user.text().strip()
            )
            password = ""
            if target.user:
                entry = credentials.smtp_entry(target.host, target.user)
                if self.password.text():
                    self.secrets.store(entry, self.password.text(), "SMTP password", credentials.SMTP_ENV)
                    self.password.clear()
                password = credentials.smtp_password(target.host, target.user, self.secrets)
        except credentials.MissingSecretError as error:
            self.message.setText(error.in_dialog)
            return
        except StudioError as error:
            self.message.setText(error.user_message)
            return
        sequence, position = self.sequence, int(self.step.currentData())

        def work(cancel: CancelToken, progress: ProgressFn) -> str:
            return send_test(sequence, position, to, target, render=default_render(), password=password)

        self.message.setText(self.tr("Sending…"))
        self.handle = self.runner.run(
            "Send test",
            work,
            owner=self,
            on_done=lambda message_id: self._on_sent(message_id, to, target),
            on_error=self._on_error,
        )
        self._update_send_button()

    def _on_sent(self, message_id: str, to: str, target: SmtpTarget) -> None:
        self.handle = None
        self.message_id = message_id
        self._update_send_button()
        self.message.setText(self.tr("Sent to {to} ({id}).").format(to=to, id=message_id))
        self.ui_state.setValue(LAST_TO, to)
        self.ui_state.setValue(LAST_SERVER, f"{target.host}:{target.port}")
        self.ui_state.setValue(LAST_STARTTLS, target.starttls)
        self.ui_state.setValue(LAST_USER, target.user)

    def _on_error(self, error: StudioError) -> None:
        self.handle = None
        self._update_send_button()
        self.message.setText(self.tr("Not sent: {message}").format(message=error.user_message))
