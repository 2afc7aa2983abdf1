"""The API key lives in the keyring (a memory backend here, never the real one); without a keyring
the store says so and falls back to OPENAI_API_KEY."""

from __future__ import annotations

import keyring.backends.fail
import pytest

from seqstudio.core.secrets import API_KEY_ENTRY, SERVICE, KeySource, SecretStore, SecretStoreError
from tests.support.memory_keyring import MemoryKeyring

KEY = "sk-secret-value-123456"


def test_set_get_and_delete_through_the_keyring() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend, environ={})
    assert store.get_api_key() is None and store.status().source == KeySource.NONE
    store.set_api_key(f"  {KEY}\n")
    assert backend.passwords[(SERVICE, API_KEY_ENTRY)] == KEY
    assert store.get_api_key() == KEY and store.status().source == KeySource.KEYRING
    assert store.delete_api_key() is True
    assert store.get_api_key() is None and store.delete_api_key() is False


def test_the_keyring_wins_over_the_environment_and_a_session_key_over_both() -> None:
    store = SecretStore(MemoryKeyring(), environ={"OPENAI_API_KEY": "sk-from-env-0000"})
    assert store.get_api_key() == "sk-from-env-0000" and store.status().source == KeySource.ENVIRONMENT
    store.set_api_key(KEY)
    assert store.get_api_key() == KEY
    store.set_session_key("sk-session-only-1111")
    assert store.get_api_key() == "sk-session-only-1111" and store.status().source == KeySource.SESSION


def test_without_a_keyring_it_says_so_and_uses_the_environment() -> None:
    store = SecretStore(keyring.backends.fail.Keyring(), environ={"OPENAI_API_KEY": KEY})
    assert not store.keyring_available
    assert store.get_api_key() == KEY
    status = store.status()
    assert status.source == KeySource.ENVIRONMENT
    assert "No system keyring is available" in status.message and "OPENAI_API_KEY" in status.message
    with pytest.raises(SecretStoreError) as caught:
        store.set_api_key("sk-new-key-999999")
    assert "OPENAI_API_KEY" in caught.value.user_message
    assert store.delete_api_key() is False


def test_status_never_contains_the_key() -> None:
    store = SecretStore(MemoryKeyring(), environ={})
    store.set_api_key(KEY)
    status = store.status()
    assert KEY not in status.message and KEY not in repr(status)


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(SecretStoreError):
        SecretStore(MemoryKeyring(), environ={}).set_api_key("   ")


def test_without_a_keyring_another_secret_names_its_own_variable() -> None:
    store = SecretStore(keyring.backends.fail.Keyring(), environ={})
    with pytest.raises(SecretStoreError) as caught:
        store.store("klaviyo:api_key", "pk_secret", "Klaviyo key", "SEQSTUDIO_KLAVIYO_API_KEY")
    message = caught.value.user_message
    assert "the Klaviyo key cannot be stored" in message and "SEQSTUDIO_KLAVIYO_API_KEY" in message
    assert "OPENAI_API_KEY" not in message and "pk_secret" not in message
