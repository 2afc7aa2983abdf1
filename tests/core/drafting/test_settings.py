"""Provider resolution: app settings, then OPENAI_BASE_URL and the key; offline with neither."""

from __future__ import annotations

import pytest

from seqstudio.core.drafting import LLMClient, OfflineDrafter, make_client
from seqstudio.core.drafting.errors import ProviderConfigError
from seqstudio.core.drafting.settings import ProviderSettings, resolve_connection
from seqstudio.core.drafting.tokens import TokenUsage, cost_usd, count_tokens
from seqstudio.core.secrets import SecretStore
from tests.support.memory_keyring import MemoryKeyring

KEY = "sk-resolve-test-424242"


def store(environ: dict[str, str]) -> SecretStore:
    return SecretStore(MemoryKeyring(), environ=environ)


def test_nothing_set_means_offline() -> None:
    assert resolve_connection(ProviderSettings(), store({}), environ={}) is None


def test_a_key_alone_means_openai() -> None:
    env = {"OPENAI_API_KEY": KEY}
    connection = resolve_connection(ProviderSettings(), store(env), environ=env)
    assert connection is not None and connection.base_url is None and connection.api_key == KEY
    assert connection.label == "OpenAI"
    assert KEY not in repr(connection)


def test_the_sdk_base_url_variable_is_honoured_and_needs_no_key() -> None:
    env = {"OPENAI_BASE_URL": "http://localhost:11434/v1/"}
    connection = resolve_connection(ProviderSettings(), store(env), environ=env)
    assert connection is not None and connection.base_url == "http://localhost:11434/v1"
    assert connection.api_key  # a placeholder: local servers ignore it, the SDK needs one


def test_the_apps_base_url_wins_over_the_environment() -> None:
    env = {"OPENAI_BASE_URL": "http://localhost:11434/v1"}
    settings = ProviderSettings(base_url="http://127.0.0.1:1234/v1")
    connection = resolve_connection(settings, store(env), environ=env)
    assert connection is not None and connection.base_url == "http://127.0.0.1:1234/v1"


def test_offline_setting_wins_over_a_key() -> None:
    env = {"OPENAI_API_KEY": KEY}
    client = make_client(ProviderSettings(offline=True), store(env), environ=env)
    assert isinstance(client, OfflineDrafter)
    assert isinstance(make_client(ProviderSettings(), store(env), environ=env), LLMClient)


@pytest.mark.parametrize(
    "settings", [ProviderSettings(base_url="localhost:11434"), ProviderSettings(model=" ")]
)
def test_unusable_settings_say_what_to_fix(settings: ProviderSettings) -> None:
    with pytest.raises(ProviderConfigError):
        resolve_connection(settings, store({"OPENAI_API_KEY": KEY}), environ={})


def test_cost_uses_the_price_table_for_openai_and_nothing_for_custom_endpoints() -> None:
    usage = TokenUsage(prompt=1_000_000, completion=500_000)
    assert cost_usd(usage, ProviderSettings(model="gpt-4o-mini"), "gpt-4o-mini") == pytest.approx(0.15 + 0.30)
    assert cost_usd(usage, ProviderSettings(base_url="http://x.test/v1"), "llama3") is None
    assert cost_usd(usage, ProviderSettings(model="unknown-model"), "unknown-model") is None
    snapshot = cost_usd(usage, ProviderSettings(), "gpt-4o-mini-2024-07-18")
    assert snapshot == pytest.approx(0.45)  # a dated snapshot is priced as its model, not as gpt-4o


def test_local_token_counts_grow_with_the_text() -> None:
    short, long = count_tokens("Hello there."), count_tokens("Hello there. " * 50)
    assert 1 <= short < long
