"""The one door to secrets for export: the Klaviyo API key and SMTP passwords, from the keyring
(service "seqstudio", as core.secrets uses), or an environment variable where the keyring has none.

Kept apart from core.secrets (which holds the LLM key) until that grows named entries; values are
returned to the caller only: never log, print or store them.
"""

from __future__ import annotations

import os

import keyring
import keyring.errors

from seqstudio.core.errors import StudioError

SERVICE = "seqstudio"


class MissingSecretError(StudioError):
    """A key or password the export needs is not in the keyring."""


def _get(account: str, what: str, how: str, env: str) -> str:
    """The keyring's value; where the keyring has none (or no keyring exists), the variable `env`."""
    try:
        value = keyring.get_password(SERVICE, account)
        problem = f"The {what} is not in the keyring."
    except keyring.errors.KeyringError as error:
        value, problem = None, f"No keyring is available to read the {what} ({type(error).__name__})."
    value = value or os.environ.get(env)
    if not value:
        raise MissingSecretError(f"{problem} {how}, or set {env}.")
    return str(value)


def klaviyo_api_key() -> str:
    return _get(
        "klaviyo:api_key",
        "Klaviyo private API key",
        "Run: keyring set seqstudio klaviyo:api_key",
        "SEQSTUDIO_KLAVIYO_API_KEY",
    )


def smtp_password(host: str, user: str) -> str:
    account = f"smtp:{user}@{host}"
    return _get(
        account,
        f"SMTP password for {user} at {host}",
        f"Run: keyring set seqstudio {account}",
        "SEQSTUDIO_SMTP_PASSWORD",
    )
