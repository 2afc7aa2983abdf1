"""Sending real email: one step as a test send, or each simulated send of a flow."""

from __future__ import annotations

from datetime import datetime

from seqstudio.core.errors import NotFoundError
from seqstudio.core.export.mime import build_message, unsubscribe_url
from seqstudio.core.export.rendering import RenderFn
from seqstudio.core.export.simulate import Contact, DeliverFn
from seqstudio.core.export.smtp import SmtpSender, SmtpTarget
from seqstudio.core.model import Sequence, Step


def merge_fields(sequence: Sequence, email: str, first_name: str, unsubscribe: str) -> dict[str, str]:
    return {
        "first_name": first_name,
        "email": email,
        "brand_name": sequence.brand.name,
        "from_name": sequence.brand.from_name or sequence.brand.name,
        "unsubscribe_url": unsubscribe,
    }


def smtp_deliver(sequence: Sequence, sender: SmtpSender, render: RenderFn) -> DeliverFn:
    """A DeliverFn for `simulate` that sends each email, personalised, through `sender`."""

    def deliver(contact: Contact, step: Step, at: datetime) -> None:
        link = unsubscribe_url(sequence.brand, contact.email)
        rendered = render(sequence, step, merge_fields(sequence, contact.email, contact.first_name, link))
        sender.send(
            build_message(rendered, brand=sequence.brand, to=contact.email, unsubscribe=link, sent_at=at)
        )

    return deliver


def send_test(
    sequence: Sequence,
    position: int,
    to: str,
    target: SmtpTarget,
    *,
    render: RenderFn,
    password: str = "",
    first_name: str = "",
) -> str:
    """Send step `position` to `to` as a test ("[TEST]" subject); return the Message-ID."""
    try:
        step = sequence.step(position)
    except KeyError:
        raise NotFoundError(f"{sequence.name} has no step {position}; steps are numbered 1 to 6.") from None
    link = unsubscribe_url(sequence.brand, to)
    rendered = render(sequence, step, merge_fields(sequence, to, first_name, link))
    message = build_message(rendered, brand=sequence.brand, to=to, unsubscribe=link, test=True)
    with SmtpSender(target, password) as sender:
        sender.send(message)
    return str(message["Message-ID"])
