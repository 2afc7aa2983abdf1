"""Missing secrets say how to add them: commands for the CLI, a plain instruction for a dialog."""

from __future__ import annotations

import keyring.backends.fail
import pytest

from seqstudio.core.export import credentials
from seqstudio.core.export.credentials import MissingSecretError
from seqstudio.core.secrets import SecretStore
from tests.support.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def no_env_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (credentials.KLAVIYO_ENV, credentials.SMTP_ENV):
        monkeypatch.delenv(name, raising=False)


def test_a_missing_klaviyo_key_gives_commands_to_the_cli_and_plain_words_to_the_dialog() -> None:
    with pytest.raises(MissingSecretError) as raised:
        credentials.klaviyo_api_key(SecretStore(backend=MemoryKeyring(), environ={}))
    error = raised.value
    assert "keyring set seqstudio klaviyo:api_key" in error.user_message
    assert credentials.KLAVIYO_ENV in error.user_message
    assert "export dialog" not in error.user_message
    assert error.in_dialog == "Enter your Klaviyo private API key above; it is kept in the system keyring."


def test_a_missing_smtp_password_names_the_user_and_server() -> None:
    with pytest.raises(MissingSecretError) as raised:
        credentials.smtp_password(
            "mail.example.com", "mara", SecretStore(backend=MemoryKeyring(), environ={})
        )
    assert "keyring set seqstudio smtp:mara@mail.example.com" in raised.value.user_message
    assert raised.value.in_dialog.startswith("Enter your SMTP password for mara at mail.example.com above")


def test_without_a_keyring_the_dialog_names_the_only_way_left() -> None:
    with pytest.raises(MissingSecretError) as raised:
        credentials.klaviyo_api_key(SecretStore(backend=keyring.backends.fail.Keyring(), environ={}))
    error = raised.value
    assert "no keyring is available" in error.user_message and "keyring set" not in error.user_message
    assert "no system keyring" in error.in_dialog and credentials.KLAVIYO_ENV in error.in_dialog
    assert "`" not in error.in_dialog and "above" not in error.in_dialog


def test_a_stored_key_is_returned() -> None:
    store = SecretStore(backend=MemoryKeyring(), environ={})
    store.store(credentials.KLAVIYO_ENTRY, "pk_test")
    assert credentials.klaviyo_api_key(store) == "pk_test"
