"""The secrets export needs: the Klaviyo API key and SMTP passwords, kept by core.secrets'
SecretStore (the OS keyring), or an environment variable where the keyring has none.

Values are returned to the caller only: never log, print or store them.
"""

from __future__ import annotations

import os

from seqstudio.core.errors import StudioError
from seqstudio.core.secrets import SecretStore

KLAVIYO_ENTRY = "klaviyo:api_key"
KLAVIYO_ENV = "SEQSTUDIO_KLAVIYO_API_KEY"
SMTP_ENV = "SEQSTUDIO_SMTP_PASSWORD"


class MissingSecretError(StudioError):
    """A key or password the export needs is not in the keyring.

    `user_message` says how to add it from the command line (the CLI prints it); `in_dialog` says
    it for a dialog that has a field for the secret, with no commands in it."""

    def __init__(self, user_message: str, in_dialog: str) -> None:
        super().__init__(user_message)
        self.in_dialog = in_dialog


def smtp_entry(host: str, user: str) -> str:
    return f"smtp:{user}@{host}"


def _get(store: SecretStore | None, entry: str, what: str, env: str) -> str:
    store = store or SecretStore()
    value = store.stored(entry) or os.environ.get(env)
    if value:
        return value
    if store.keyring_available:
        raise MissingSecretError(
            f"The {what} is not in the keyring. Run `keyring set seqstudio {entry}`, or set {env}.",
            f"Enter your {what} above; it is kept in the system keyring.",
        )
    raise MissingSecretError(
        f"The {what} cannot be kept: no keyring is available. Set {env}.",
        f"The {what} cannot be kept: no system keyring is available on this computer. "
        f"Set the environment variable {env} before starting Sequence Studio.",
    )


def klaviyo_api_key(store: SecretStore | None = None) -> str:
    return _get(store, KLAVIYO_ENTRY, "Klaviyo private API key", KLAVIYO_ENV)


def smtp_password(host: str, user: str, store: SecretStore | None = None) -> str:
    return _get(store, smtp_entry(host, user), f"SMTP password for {user} at {host}", SMTP_ENV)
