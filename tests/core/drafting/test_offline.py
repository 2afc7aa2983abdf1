"""The offline drafter writes a usable, labelled first draft that follows each step's purpose,
states only the offer facts, respects the words to avoid, and reads in the sequence's language."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from seqstudio.core.blueprints import BlueprintCatalog, new_sequence
from seqstudio.core.cancel import CancelToken
from seqstudio.core.drafting import OfflineDrafter, check_facts, draft_sequence, make_client
from seqstudio.core.drafting.offline import archetype_name
from seqstudio.core.drafting.settings import ProviderSettings
from seqstudio.core.model import OfferFacts, SequenceKind, Step
from seqstudio.core.secrets import SecretStore
from tests.core.drafting.conftest import make_sequence
from tests.support.memory_keyring import MemoryKeyring


def draft_all(sequence):
    return draft_sequence(sequence, client=OfflineDrafter(), cancel=CancelToken())


def words(text: str) -> list[str]:
    return re.findall(r"[\wäöüß']+", text.lower())


def test_no_key_and_no_endpoint_means_offline() -> None:
    client = make_client(ProviderSettings(), SecretStore(MemoryKeyring(), environ={}), environ={})
    assert isinstance(client, OfflineDrafter)


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_step_gets_a_complete_distinct_labelled_draft(language: str) -> None:
    results = draft_all(make_sequence(language))
    assert len(results) == 6
    for result in results:
        assert result.ok and result.offline and result.origin == "Offline draft (no model)"
        email = result.email
        assert email is not None
        assert 0 < len(email.subject) <= 60 and email.preheader and email.cta.label
        assert email.cta.url == "https://trailhead.example/runner"
        assert 35 <= len(email.body.split()) <= 200
        assert "lorem" not in email.body.lower()
        assert result.tokens.total == 0 and result.cost_usd is None
    subjects = [r.email.subject for r in results if r.email]
    bodies = [r.email.body for r in results if r.email]
    assert len(set(subjects)) == 6 and len(set(bodies)) == 6


def test_offline_drafts_state_no_fact_beyond_the_offer() -> None:
    for language in ("en", "de"):
        for result in draft_all(make_sequence(language)):
            assert result.findings == (), (language, result.position, result.findings)


def test_the_offer_steps_quote_the_code_its_value_and_expiry() -> None:
    results = draft_all(make_sequence("en"))
    welcome, reminder, last = results[0].email, results[4].email, results[5].email
    assert welcome and reminder and last
    for email in (welcome, reminder, last):
        assert "WELCOME15" in email.body and "15% off your first order" in email.body
    assert "December 31, 2026" in last.body
    german = draft_all(make_sequence("de"))[5].email
    assert german and "31. Dezember 2026" in german.body


def test_steps_follow_their_purpose() -> None:
    sequence = make_sequence()
    names = [archetype_name(sequence, step) for step in sequence.steps]
    assert names == ["welcome", "story", "product", "proof", "offer", "urgency"]
    results = draft_all(sequence)
    assert results[1].email and "reason" in results[1].email.body  # the brand story
    assert results[2].email and "$129.00" in results[2].email.body  # the bestseller, at its price


def test_without_a_code_nothing_is_offered() -> None:
    sequence = make_sequence(offer=OfferFacts(notes=("Free returns within 30 days",)))
    for result in draft_all(sequence):
        assert result.email is not None
        text = f"{result.email.subject} {result.email.body}".lower()
        assert "code" not in text and "%" not in text
        assert result.findings == ()


def test_words_to_avoid_never_appear() -> None:
    sequence = make_sequence()
    avoid = ("reply", "code", "glad", "reason")
    sequence = replace(sequence, brand=replace(sequence.brand, words_to_avoid=avoid))
    for result in draft_all(sequence):
        email = result.email
        assert email is not None
        found = set(words(f"{email.subject} {email.preheader} {email.body}")) & set(avoid)
        assert not found, (result.position, found)


def test_german_drafts_are_german_and_formal() -> None:
    base = make_sequence("de")
    code = replace(base.offer.discount_codes[0], description="15 % Rabatt auf Ihre erste Bestellung")
    german = replace(
        base, offer=replace(base.offer, discount_codes=(code,), notes=("Versandkostenfrei ab 50 €",))
    )
    for result in draft_all(german):
        email = result.email
        assert email is not None
        text = set(words(email.body))
        assert {"sie", "ihnen", "ihr", "ihre", "ihren"} & text, email.body
        assert not {"the", "you", "your"} & text
        assert email.body.startswith("Hallo,")
        assert result.findings == ()


def test_cart_abandonment_without_purposes_follows_the_usual_arc() -> None:
    base = make_sequence()
    steps = tuple(Step(id=f"c{i}", position=i, delay="PT1H", purpose=f"Email {i}") for i in range(1, 7))
    cart = replace(base, kind=SequenceKind.CART_ABANDONMENT, steps=steps)
    names = [archetype_name(cart, step) for step in cart.steps]
    assert names == ["reminder", "objection", "proof", "offer", "product", "reminder"]
    first, last = draft_all(cart)[0].email, draft_all(cart)[5].email
    assert first and last and "cart" in first.body and first.body != last.body


def test_no_discount_guidance_is_respected() -> None:
    base = make_sequence()
    step = replace(base.step(1), guidance="Warm welcome, no discount yet.")
    sequence = replace(base, steps=(step, *base.steps[1:]))
    email = OfflineDrafter().draft(sequence, 1)
    assert "WELCOME15" not in email.body and check_facts(email, sequence.offer) == ()


SHIPPED_ARCS = {
    "welcome": ["welcome", "story", "proof", "howto", "product", "offer"],
    "cart_abandonment": ["reminder", "objection", "proof", "offer", "product", "reminder"],
    "win_back": ["winback", "product", "feedback", "offer", "urgency", "sunset"],
}


@pytest.mark.parametrize("blueprint_id", sorted(SHIPPED_ARCS))
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_shipped_blueprints_get_fitting_offline_drafts(blueprint_id: str, language: str) -> None:
    sample = make_sequence(language)
    blueprint = BlueprintCatalog().get(blueprint_id)
    sequence = new_sequence(blueprint, "Test", sample.brand, sample.offer, language=language)
    assert [archetype_name(sequence, step) for step in sequence.steps] == SHIPPED_ARCS[blueprint_id]
    results = draft_all(sequence)
    assert len({r.email.subject for r in results if r.email}) == 6
    assert all(r.findings == () for r in results)
    if language == "en":  # the blueprint's own button labels are kept (they are written in English)
        assert [r.email.cta.label for r in results if r.email] == [s.email.cta.label for s in sequence.steps]
