"""The one door to secrets for export: the Klaviyo API key and SMTP passwords, from the keyring.

Interim until core/secrets.py lands: swap these two functions' bodies for it. Values are returned
to the caller only; never log, print or store them.
"""

from __future__ import annotations

import keyring
import keyring.errors

from seqstudio.core.errors import StudioError

SERVICE = "seqstudio"


class MissingSecretError(StudioError):
    """A key or password the export needs is not in the keyring."""


def _get(account: str, what: str, how: str) -> str:
    try:
        value = keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError as error:
        raise MissingSecretError(
            f"No keyring is available to read the {what} ({type(error).__name__}). {how}", str(error)
        ) from None
    if not value:
        raise MissingSecretError(f"The {what} is not in the keyring. {how}")
    return str(value)


def klaviyo_api_key() -> str:
    return _get(
        "klaviyo:api_key",
        "Klaviyo private API key",
        "Add it in Settings, or run: keyring set seqstudio klaviyo:api_key",
    )


def smtp_password(host: str, user: str) -> str:
    account = f"smtp:{user}@{host}"
    return _get(account, f"SMTP password for {user} at {host}", f"Run: keyring set seqstudio {account}")
