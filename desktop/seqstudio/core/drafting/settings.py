"""Provider settings and how they resolve into a connection (or into offline drafting).

The app's own settings come first, then the SDK's conventions: OPENAI_BASE_URL for the endpoint,
the key from `SecretStore` (session, keyring, then OPENAI_API_KEY). With neither a key nor an
endpoint, drafting runs offline. A local endpoint (Ollama, LM Studio, vLLM, llama.cpp) needs no key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from seqstudio.core.drafting.errors import ProviderConfigError
from seqstudio.core.model import STEP_COUNT
from seqstudio.core.secrets import SecretStore

BASE_URL_ENV = "OPENAI_BASE_URL"
OPENAI_LABEL = "OpenAI"
LOCAL_PLACEHOLDER_KEY = "not-needed"  # the SDK wants some key; local servers ignore it


class OutputMode(StrEnum):
    AUTO = "auto"  # json_schema, falling back to json_object, then to the schema in the prompt
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    PROMPT = "prompt"  # no response_format at all: the schema is quoted in the prompt

    def fallback(self) -> OutputMode | None:
        return {
            OutputMode.JSON_SCHEMA: OutputMode.JSON_OBJECT,
            OutputMode.JSON_OBJECT: OutputMode.PROMPT,
        }.get(self)


@dataclass(frozen=True)
class ProviderSettings:
    """What the user chose in Settings; the integrator nests it in the preferences dataclass."""

    base_url: str = ""  # empty: OPENAI_BASE_URL, else OpenAI itself
    model: str = "gpt-4o-mini"
    temperature: float = 0.7
    connect_timeout: float = 5.0  # seconds
    read_timeout: float = 60.0  # seconds without a byte from the server
    max_concurrency: int = STEP_COUNT  # requests in flight at once: a whole sequence by default
    max_attempts: int = 4  # per request, for 429, 5xx, timeouts and lost connections
    max_retry_wait: float = 60.0  # a Retry-After longer than this fails the step instead
    stream: bool = True
    output_mode: OutputMode = OutputMode.AUTO
    max_output_tokens: int = 1500
    plan_first: bool = False  # one extra call that plans the arc before the steps; slower
    offline: bool = False  # always use the offline drafter
    input_price_per_mtok: float | None = None  # USD per million tokens; None: the table below
    output_price_per_mtok: float | None = None


# Approximate list prices, USD per million tokens (input, output); used only for the estimate shown.
PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


@dataclass(frozen=True)
class Connection:
    """Where requests go. `api_key` stays out of repr so it never lands in a log line."""

    base_url: str | None  # None: OpenAI's own endpoint
    api_key: str = field(repr=False)

    @property
    def label(self) -> str:
        return self.base_url or OPENAI_LABEL


def resolve_connection(
    settings: ProviderSettings, secrets: SecretStore, environ: Mapping[str, str] | None = None
) -> Connection | None:
    """The connection to draft with, or None for offline drafting."""
    environ = os.environ if environ is None else environ
    if settings.offline:
        return None
    base_url = (settings.base_url or environ.get(BASE_URL_ENV, "")).strip().rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ProviderConfigError(f"The base URL '{base_url}' must start with http:// or https://.")
    if not settings.model.strip():
        raise ProviderConfigError("No model is set. Enter a model name in Settings, e.g. gpt-4o-mini.")
    key = secrets.get_api_key()
    if not key and not base_url:
        return None
    return Connection(base_url or None, key or LOCAL_PLACEHOLDER_KEY)


def price_per_mtok(settings: ProviderSettings, model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens: the user's figures, else the table; None if unknown."""
    if settings.input_price_per_mtok is not None and settings.output_price_per_mtok is not None:
        return settings.input_price_per_mtok, settings.output_price_per_mtok
    if settings.base_url:
        return None  # a custom endpoint's price is unknowable; local ones are free
    for name in sorted(PRICES_PER_MTOK, key=len, reverse=True):  # gpt-4o-mini before gpt-4o
        if model == name or model.startswith(f"{name}-"):  # dated snapshots: gpt-4o-2024-08-06
            return PRICES_PER_MTOK[name]
    return None
