"""Send test: one step as a real email to the user's own address, through their SMTP server."""

from __future__ import annotations

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
from seqstudio.gui.tasks import TaskHandle, TaskRunner


class SendTestDialog(QDialog):
    """The password goes to the keyring (per server and user), never to preferences or logs."""

    def __init__(
        self,
        sequence: Sequence,
        position: int,
        *,
        secrets: SecretStore,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Send a test email"))
        self.sequence, self.secrets, self.runner = sequence, secrets, runner
        self.handle: TaskHandle | None = None
        self.message_id = ""
        self.step = QComboBox(self)
        for step in sequence.steps:
            self.step.addItem(f"{step.position}. {step.email.subject or step.purpose}", step.position)
        self.step.setCurrentIndex(position - 1)
        self.to = QLineEdit(sequence.brand.reply_to or sequence.brand.from_email, self)
        self.server = QLineEdit("localhost:25", self)
        self.server.setPlaceholderText("smtp.example.com:587")
        self.starttls = QCheckBox(self.tr("Use STARTTLS"), self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("kept in the system keyring; leave empty to use the stored one")
        )
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.send_button = self.buttons.addButton(self.tr("Send"), QDialogButtonBox.ButtonRole.ApplyRole)
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
        self.buttons.rejected.connect(self.reject)

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
                    self.secrets.store(entry, self.password.text(), "SMTP password")
                    self.password.clear()
                password = credentials.smtp_password(target.host, target.user, self.secrets)
        except StudioError as error:
            self.message.setText(error.user_message)
            return
        sequence, position = self.sequence, int(self.step.currentData())

        def work(cancel: CancelToken, progress: ProgressFn) -> str:
            return send_test(sequence, position, to, target, render=default_render(), password=password)

        self.send_button.setEnabled(False)
        self.message.setText(self.tr("Sending…"))
        self.handle = self.runner.run(
            "Send test", work, owner=self, on_done=self._on_sent, on_error=self._on_error
        )

    def _on_sent(self, message_id: str) -> None:
        self.message_id = message_id
        self.send_button.setEnabled(True)
        self.message.setText(self.tr("Sent to {to} ({id}).").format(to=self.to.text().strip(), id=message_id))

    def _on_error(self, error: StudioError) -> None:
        self.send_button.setEnabled(True)
        self.message.setText(self.tr("Not sent: {message}").format(message=error.user_message))
