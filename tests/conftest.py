"""Fixtures every test shares: a private home, config and data directory, so no test reads or
writes the developer's real library, settings or keyring."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seqstudio.core.blueprints import BlueprintCatalog, new_sequence
from seqstudio.core.model import Brand, BrandColors, DiscountCode, OfferFacts, Product, Sequence
from seqstudio.core.storage import Library


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for name, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SEQSTUDIO_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach past this machine: no test may touch the internet.
    (Chromium's own network stack is not Python's; the preview tests block it with their profile.)"""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host != "localhost":
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                raise AssertionError(f"a test tried to reach {host}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def library(db_path: Path) -> Iterator[Library]:
    lib = Library(db_path)
    yield lib
    lib.close()


@pytest.fixture
def brand() -> Brand:
    return Brand(
        name="Fernweh Coffee",
        from_name="Mara at Fernweh",
        from_email="mara@fernweh.example",
        reply_to="hello@fernweh.example",
        postal_address="Fernweh Coffee GmbH, Kastanienallee 12, 10435 Berlin, Germany",
        voice_notes="Warm, plain, a little dry. Short sentences. Talks like a barista, not a brochure.",
        words_to_avoid=("elevate", "unlock", "journey"),
        sample_copy="We roast on Tuesdays. Your beans leave on Wednesday. That's the whole secret.",
        colors=BrandColors(primary="#7a3e1d", background="#fffaf3", text="#2b1a10", accent="#f3e6d6"),
        logo_url="https://fernweh.example/logo.png",
        language="en",
    )


@pytest.fixture
def offer() -> OfferFacts:
    from datetime import date

    return OfferFacts(
        products=(Product(name="House blend, 500 g", price="14.50", currency="EUR"),),
        discount_codes=(
            DiscountCode(code="HELLO10", description="10% off your first bag", expires=date(2027, 1, 31)),
        ),
        notes=("Free shipping in Germany over 30 EUR",),
    )


@pytest.fixture
def welcome(brand: Brand, offer: OfferFacts) -> Sequence:
    return new_sequence(BlueprintCatalog().get("welcome"), "Fernweh welcome", brand, offer)
