"""Secrets (the LLM API key, the Klaviyo key, SMTP passwords): kept in the OS keyring, never in the
database, settings, logs or exports. `stored`/`store`/`forget` work on any named entry.

Where no keyring backend exists (a headless Linux box, CI), `status()` says so and the key comes
from the OPENAI_API_KEY environment variable, or from a key set for this session only (memory).
Order of use: session key, keyring, environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import keyring
import keyring.errors

from seqstudio.core.errors import StudioError

SERVICE = "seqstudio"
API_KEY_ENTRY = "openai-api-key"
API_KEY_ENV = "OPENAI_API_KEY"
NO_KEYRING = (
    "No system keyring is available on this machine ({backend}), so the API key cannot be stored. "
    "Set the OPENAI_API_KEY environment variable instead, or enter a key for this session."
)
# The same for any other secret: `what` it is and the environment variable read instead.
NO_KEYRING_FOR = (
    "No system keyring is available on this machine ({backend}), so the {what} cannot be stored. "
    "Set the {env} environment variable instead and start the app again."
)


class SecretStoreError(StudioError):
    """The keyring is missing or refused; the message says what to use instead."""


class KeySource(StrEnum):
    SESSION = "session"
    KEYRING = "keyring"
    ENVIRONMENT = "environment"
    NONE = "none"


@dataclass(frozen=True)
class KeyStatus:
    source: KeySource
    keyring_available: bool
    backend: str  # the keyring backend's name, for the message; never the key

    @property
    def message(self) -> str:
        where = {
            KeySource.SESSION: "a key set for this session only",
            KeySource.KEYRING: f"the key stored in the system keyring ({self.backend})",
            KeySource.ENVIRONMENT: f"the {API_KEY_ENV} environment variable",
            KeySource.NONE: "no key: drafts are written offline unless an endpoint is set",
        }[self.source]
        note = "" if self.keyring_available else " " + NO_KEYRING.format(backend=self.backend)
        return f"Using {where}.{note}"


class SecretStore:
    """Reads and writes the API key. Pass `backend` in tests (never the developer's real keyring)."""

    def __init__(self, backend: Any | None = None, environ: Mapping[str, str] | None = None) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._environ = os.environ if environ is None else environ
        self._session_key: str | None = None

    @property
    def backend_name(self) -> str:
        kind = type(self._backend)
        return f"{kind.__module__}.{kind.__name__}"

    @property
    def keyring_available(self) -> bool:
        """False for keyring's fail and null backends, which cannot keep anything."""
        priority = getattr(self._backend, "priority", 0)
        module = type(self._backend).__module__
        return not module.startswith(("keyring.backends.fail", "keyring.backends.null")) and priority > 0

    def stored(self, entry: str) -> str | None:
        """The keyring's value for `entry` (e.g. "klaviyo:api_key"), or None; never log it."""
        if not self.keyring_available:
            return None
        try:
            value = self._backend.get_password(SERVICE, entry)
        except keyring.errors.KeyringError as error:
            raise SecretStoreError(f"The system keyring could not be read: {error}", repr(error)) from None
        return str(value) if value else None

    def store(self, entry: str, value: str, what: str = "secret", env: str = "") -> None:
        """Keep `value` under `entry`; SecretStoreError (saying what to do, with `env` the variable
        read instead of the keyring) where no keyring exists."""
        value = value.strip()
        if not value:
            raise SecretStoreError(f"The {what} is empty; nothing was stored.")
        if not self.keyring_available:
            if entry == API_KEY_ENTRY or not env:
                raise SecretStoreError(NO_KEYRING.format(backend=self.backend_name))
            raise SecretStoreError(NO_KEYRING_FOR.format(backend=self.backend_name, what=what, env=env))
        try:
            self._backend.set_password(SERVICE, entry, value)
        except keyring.errors.KeyringError as error:
            raise SecretStoreError(f"The system keyring refused the {what}: {error}", repr(error)) from None

    def forget(self, entry: str) -> bool:
        """Remove `entry` from the keyring; False when there was none."""
        if not self.keyring_available or not self.stored(entry):
            return False
        try:
            self._backend.delete_password(SERVICE, entry)
        except keyring.errors.PasswordDeleteError:
            return False
        except keyring.errors.KeyringError as error:
            raise SecretStoreError(f"The system keyring refused: {error}", repr(error)) from None
        return True

    def _stored_key(self) -> str | None:
        return self.stored(API_KEY_ENTRY)

    def status(self) -> KeyStatus:
        if self._session_key:
            source = KeySource.SESSION
        elif self._stored_key():
            source = KeySource.KEYRING
        elif self._environ.get(API_KEY_ENV):
            source = KeySource.ENVIRONMENT
        else:
            source = KeySource.NONE
        return KeyStatus(source, self.keyring_available, self.backend_name)

    def get_api_key(self) -> str | None:
        """The key to use, or None; callers must not print, log or store it."""
        return self._session_key or self._stored_key() or self._environ.get(API_KEY_ENV) or None

    def set_api_key(self, key: str) -> None:
        """Store `key` in the keyring; raises SecretStoreError (saying what to do) where none exists."""
        self.store(API_KEY_ENTRY, key, "API key")

    def set_session_key(self, key: str | None) -> None:
        """Use `key` until the app quits, without storing it anywhere."""
        self._session_key = key.strip() if key else None

    def delete_api_key(self) -> bool:
        """Remove the stored key; False when there was none. The environment is left alone."""
        self._session_key = None
        return self.forget(API_KEY_ENTRY)
