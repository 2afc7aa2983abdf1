"""The BPMN run in SpiffWorkflow on a simulated clock, delivering to a real SMTP server."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from seqstudio.core.errors import StudioError
from seqstudio.core.export.delivery import smtp_deliver
from seqstudio.core.export.rendering import default_render
from seqstudio.core.export.simulate import Contact, holdout_bucket, parse_contacts, simulate
from seqstudio.core.export.smtp import SmtpSender, SmtpTarget
from seqstudio.core.model import SendWindow, Sequence
from tests.support.smtp_server import smtp_inbox

MONDAY_EVENING = datetime(2026, 1, 5, 21, 30, tzinfo=UTC)  # outside an 8-20 window


def test_a_purchaser_leaves_the_cart_flow_and_the_rest_arrive_in_the_window(cart: Sequence) -> None:
    contacts = [
        Contact("buyer@example.org", "Bea", order_after=timedelta(days=1)),
        Contact("browser@example.org", "Ada"),
    ]
    with smtp_inbox() as inbox, SmtpSender(SmtpTarget(inbox.host, inbox.port)) as sender:
        timeline = simulate(
            cart, contacts, start=MONDAY_EVENING, deliver=smtp_deliver(cart, sender, default_render())
        )
    buyer = [e for e in timeline if e.email == "buyer@example.org"]
    assert [e.sent for e in buyer] == [True, False, False, False, False, False]
    assert buyer[1].reason == "exited: placed_order"
    assert buyer[1].at == datetime(2026, 1, 8, 8, 0, tzinfo=UTC), "noticed when step 2 came due"
    assert buyer[2].at is None

    browser = [e for e in timeline if e.email == "browser@example.org"]
    assert all(e.sent for e in browser)
    # Step 1 was due at 22:30 on Monday and moves to Tuesday 08:00, when the window opens.
    assert browser[0].at == datetime(2026, 1, 6, 8, 0, tzinfo=UTC)
    assert browser[0].reason == "moved into the send window (due 2026-01-05T22:30:00Z)"
    for entry in browser:
        assert entry.at is not None and 8 <= entry.at.hour < 20

    received = [(m["To"], m["Subject"]) for m in inbox.messages]
    assert received.count(("buyer@example.org", cart.step(1).email.subject)) == 1
    assert len([to for to, _ in received if to == "buyer@example.org"]) == 1
    assert [s for to, s in received if to == "browser@example.org"] == [
        step.email.subject for step in cart.steps
    ]
    first = inbox.messages[0]
    assert parsedate_to_datetime(first["Date"]) == datetime(2026, 1, 6, 8, 0, tzinfo=UTC)


def test_holdout_contacts_get_nothing_and_the_split_is_deterministic(cart: Sequence) -> None:
    held_cart = replace(cart, holdout_percent=50.0)
    contacts = [Contact(f"person{i}@example.org", f"P{i}") for i in range(12)]
    with smtp_inbox() as inbox, SmtpSender(SmtpTarget(inbox.host, inbox.port)) as sender:
        timeline = simulate(
            held_cart,
            contacts,
            start=MONDAY_EVENING,
            deliver=smtp_deliver(held_cart, sender, default_render()),
        )
    held = {e.email for e in timeline if e.reason == "holdout"}
    expected = {c.email for c in contacts if holdout_bucket(c.email, held_cart.id) < 50}
    assert held == expected
    assert 0 < len(held) < len(contacts), "12 addresses split at 50% should land on both sides"
    recipients = {m["To"] for m in inbox.messages}
    assert recipients.isdisjoint(held)
    assert recipients == {c.email for c in contacts} - held
    assert len(inbox.messages) == 6 * len(recipients)
    again = simulate(held_cart, contacts, start=MONDAY_EVENING)
    assert [e.to_json() for e in again] == [e.to_json() for e in timeline]
    assert not any(e.reason == "holdout" for e in simulate(cart, contacts, start=MONDAY_EVENING))


def test_delivered_mail_is_multipart_with_unsubscribe_headers(cart: Sequence) -> None:
    with smtp_inbox() as inbox, SmtpSender(SmtpTarget(inbox.host, inbox.port)) as sender:
        simulate(
            cart,
            [Contact("ada@example.org", "Ada")],
            start=MONDAY_EVENING,
            deliver=smtp_deliver(cart, sender, default_render()),
        )
    message = inbox.messages[0]
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hi Ada," in text and "Hi Ada," in html, "merge tags filled per contact"
    assert "<strong>HELLO10</strong>" in html
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://fernweh.example/unsubscribe?email=ada%40example.org>")
    )
    assert "mailto:mara@fernweh.example" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["From"] == "Mara at Fernweh <mara@fernweh.example>"
    assert message["Reply-To"] == "hello@fernweh.example"
    assert inbox.envelopes[0][1] == ["ada@example.org"]


def test_the_window_follows_the_contacts_time_zone(cart: Sequence) -> None:
    weekdays_only = replace(
        cart, send_window=SendWindow(days=("mon", "tue", "wed", "thu", "fri"), start_hour=9, end_hour=17)
    )
    # Friday 15:00 UTC is 16:00 in Berlin (inside) and 00:00 Saturday in Tokyo (outside).
    friday = datetime(2026, 1, 9, 14, 0, tzinfo=UTC)
    timeline = simulate(
        weekdays_only,
        [
            Contact("berlin@example.org", timezone="Europe/Berlin"),
            Contact("tokyo@example.org", timezone="Asia/Tokyo"),
        ],
        start=friday,
    )
    berlin, tokyo = timeline[0], timeline[6]
    assert berlin.at == datetime(2026, 1, 9, 15, 0, tzinfo=UTC) and berlin.reason == ""
    assert tokyo.at == datetime(2026, 1, 12, 0, 0, tzinfo=UTC), "Monday 09:00 in Tokyo"
    assert tokyo.reason.startswith("moved into the send window")


def test_contacts_csv_errors_name_the_line() -> None:
    contacts = parse_contacts("email,first_name,order_after\na@example.org,A,PT2H\nb@example.org,B,\n")
    assert contacts[0].order_after == timedelta(hours=2) and contacts[1].order_after is None
    with pytest.raises(StudioError, match="line 3: order_after '2 days'"):
        parse_contacts("email,first_name,order_after\na@example.org,A,\nb@example.org,B,2 days\n")
    with pytest.raises(StudioError, match="line 1: the header"):
        parse_contacts("mail,name\n")
