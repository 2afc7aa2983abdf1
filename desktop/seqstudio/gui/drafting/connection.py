"""Test connection: one tiny structured request with the settings being edited, so a wrong URL,
model or key shows up in Settings rather than in the middle of a draft. Plain Python: the
Settings dialog runs it through the runner."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from seqstudio.core.cancel import CancelToken
from seqstudio.core.drafting import LLMClient, ProviderSettings
from seqstudio.core.drafting.drafter import run_cancellable
from seqstudio.core.drafting.errors import OutputProblem
from seqstudio.core.drafting.llm import Message, Meter
from seqstudio.core.drafting.settings import Connection, resolve_connection
from seqstudio.core.secrets import SecretStore

CHECK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}
CHECK_MESSAGES: list[Message] = [
    {"role": "system", "content": "You answer connection checks with JSON only."},
    {"role": "user", "content": 'Reply with the JSON object {"ok": true}.'},
]


class CheckOutcome(Enum):
    CONNECTED = "connected"
    OFFLINE = "offline"  # offline drafting was chosen: nothing to connect to
    NO_KEY = "no_key"  # neither a key nor an endpoint: drafting would run offline


@dataclass(frozen=True)
class ConnectionCheck:
    outcome: CheckOutcome
    where: str = ""  # the endpoint's label, never the key
    model: str = ""
    seconds: float = 0.0


def _read_ok(data: Any) -> bool:
    if not isinstance(data, dict) or "ok" not in data:
        raise OutputProblem('the reply must be {"ok": true}')
    return bool(data["ok"])


def check_connection(
    settings: ProviderSettings, secrets: SecretStore, typed_key: str, cancel: CancelToken
) -> ConnectionCheck:
    """Ask the provider once (no retries); raises the DraftingError a draft would meet.

    `typed_key` (not stored yet) is used instead of the stored one when it is not empty.
    """
    if settings.offline:
        return ConnectionCheck(CheckOutcome.OFFLINE)
    connection = resolve_connection(settings, secrets)
    key = typed_key.strip()
    if connection is None:
        if not key:
            return ConnectionCheck(CheckOutcome.NO_KEY)
        connection = Connection(None, key)
    elif key:
        connection = replace(connection, api_key=key)
    quick = replace(
        settings, max_attempts=1, max_output_tokens=50, read_timeout=min(settings.read_timeout, 30)
    )
    client = LLMClient(connection, quick)

    async def ask() -> str:
        async with client.api() as api:
            answer = await client.structured(
                api, CHECK_MESSAGES, "connection_check", CHECK_SCHEMA, _read_ok, Meter()
            )
        return answer.model

    started = time.perf_counter()
    model = run_cancellable(ask(), cancel)
    return ConnectionCheck(CheckOutcome.CONNECTED, connection.label, model, time.perf_counter() - started)
