"""Fixtures for drafting tests: a live local OpenAI-compatible server, a sample sequence, and a
client pointed at the server whose backoff waits are recorded instead of slept."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from seqstudio.core.drafting.llm import LLMClient
from seqstudio.core.drafting.settings import Connection, ProviderSettings
from seqstudio.core.model import (
    Brand,
    DiscountCode,
    OfferFacts,
    Product,
    Sequence,
    SequenceKind,
    Step,
)
from tests.support.openai_server import OpenAICompatibleServer

TEST_KEY = "sk-test-DO-NOT-LEAK-0123456789"

PURPOSES = (
    "Welcome them and deliver the discount code",
    "Tell the story behind the brand",
    "Show the bestseller",
    "Share what customers say in reviews",
    "Remind them of the code",
    "Last chance before the code expires",
)


def make_sequence(language: str = "en", **changes: Any) -> Sequence:
    steps = tuple(
        Step(id=f"st_{i}", position=i, delay="PT0S" if i == 1 else "P2D", purpose=purpose)
        for i, purpose in enumerate(PURPOSES, 1)
    )
    sequence = Sequence(
        id="seq_test",
        kind=SequenceKind.WELCOME,
        name="Trailhead welcome",
        brand=Brand(
            name="Trailhead",
            from_name="Maya at Trailhead",
            voice_notes="Plain, outdoorsy, a little dry.",
            words_to_avoid=("unlock", "journey"),
            sample_copy="We make shoes for the long way round.",
            language=language,
        ),
        steps=steps,
        language=language,
        audience="new subscribers who hike on weekends",
        offer=OfferFacts(
            products=(
                Product("Trail Runner", "129.00", "USD", "https://trailhead.example/runner", "A light shoe"),
            ),
            discount_codes=(DiscountCode("WELCOME15", "15% off your first order", date(2026, 12, 31)),),
            notes=("Free shipping over $50",),
        ),
    )
    return replace(sequence, **changes)


@pytest.fixture
def sequence() -> Sequence:
    return make_sequence()


@pytest.fixture
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer() as running:
        yield running


class RecordedSleep:
    """Stands in for asyncio.sleep in the client's backoff: records each wait, yields once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> RecordedSleep:
    return RecordedSleep()


ClientFactory = Callable[..., LLMClient]


@pytest.fixture
def make_client(server: OpenAICompatibleServer, sleeps: RecordedSleep) -> ClientFactory:
    def build(**settings: Any) -> LLMClient:
        defaults: dict[str, Any] = {"base_url": server.base_url, "model": "test-model", "read_timeout": 10.0}
        provider = ProviderSettings(**{**defaults, **settings})
        return LLMClient(Connection(server.base_url, TEST_KEY), provider, sleep=sleeps, jitter=lambda: 1.0)

    return build
