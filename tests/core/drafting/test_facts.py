"""The facts check flags every price, percentage, code, date and deadline the offer does not state."""

from __future__ import annotations

from datetime import date

import pytest

from seqstudio.core.drafting.facts import FactKind, check_facts, check_text
from seqstudio.core.model import Cta, DiscountCode, Email, OfferFacts, Product

OFFER = OfferFacts(
    products=(Product("Trail Runner", "129.00", "USD"), Product("Wanderschuh", "1299.50", "EUR")),
    discount_codes=(DiscountCode("WELCOME15", "15% off your first order", date(2026, 12, 31)),),
    notes=("Free shipping over $50", "Sale ends Sunday"),
)


def flagged(text: str, offer: OfferFacts = OFFER) -> list[tuple[FactKind, str]]:
    return [(f.kind, f.text) for f in check_text(text, "body", offer)]


@pytest.mark.parametrize(
    "text",
    [
        "The Trail Runner is $129.00.",
        "The Trail Runner is $129 and USD 129.00 both.",
        "Der Wanderschuh kostet 1.299,50 € und ist es wert.",
        "Use WELCOME15 for 15% off your first order.",
        "Use code welcome15 at checkout.",
        "Valid until December 31, 2026, or 31. Dezember 2026, or 2026-12-31, or 31.12.2026.",
        "Free shipping over $50. The sale ends Sunday.",
        "Six steps, 3 colours, size 42 and a 2-year-old company.",
        "Keep your code handy at checkout.",
    ],
)
def test_stated_facts_and_plain_numbers_pass(text: str) -> None:
    assert flagged(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Now only $99!", [(FactKind.PRICE, "$99")]),
        ("Jetzt nur 99,00 €.", [(FactKind.PRICE, "99,00 €")]),
        ("Take 20% off.", [(FactKind.PERCENTAGE, "20%")]),
        ("Spare 20 Prozent.", [(FactKind.PERCENTAGE, "20 Prozent")]),
        ("Use code SAVE20 today only.", [(FactKind.CODE, "SAVE20"), (FactKind.DEADLINE, "today only")]),
        ("Use code HELLO at checkout.", [(FactKind.CODE, "HELLO")]),
        (
            "Gutscheincode SOMMER gilt bis Freitag.",
            [(FactKind.CODE, "SOMMER"), (FactKind.DEADLINE, "bis Freitag")],
        ),
        ("Valid until November 30.", [(FactKind.DATE, "November 30")]),
        ("Gültig bis 30.11.2026.", [(FactKind.DATE, "30.11.2026")]),
        ("Only 48 hours left!", [(FactKind.DEADLINE, "Only 48 hours")]),
        ("Ends tonight at midnight.", [(FactKind.DEADLINE, "Ends tonight")]),
        ("Nur noch 2 Tage!", [(FactKind.DEADLINE, "Nur noch 2 Tage")]),
        ("Last chance to save.", [(FactKind.DEADLINE, "Last chance")]),
    ],
)
def test_invented_facts_are_flagged(text: str, expected: list[tuple[FactKind, str]]) -> None:
    assert flagged(text) == expected


def test_findings_name_the_field_and_span() -> None:
    email = Email(subject="25% off", preheader="", body="Hi.\n\nUse SPRING24 now.", cta=Cta("Get $10 off"))
    findings = check_facts(email, OFFER)
    assert [(f.field, f.text) for f in findings] == [("subject", "25%"), ("body", "SPRING24"), ("cta", "$10")]
    body = findings[1]
    assert email.body[body.start : body.end] == "SPRING24"
    assert body.message == "The discount code “SPRING24” in the body is not in the offer facts."


def test_with_no_offer_every_fact_is_flagged() -> None:
    kinds = {kind for kind, _ in flagged("$129.00, 15% off with WELCOME15 until Dec 31", OfferFacts())}
    assert kinds == {FactKind.PRICE, FactKind.PERCENTAGE, FactKind.CODE, FactKind.DATE}
