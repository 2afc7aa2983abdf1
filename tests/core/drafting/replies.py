"""Replies a model might give, for scripting the test server."""

from __future__ import annotations

from typing import Any

BODY = (
    "Thanks for joining Trailhead. We make shoes for the long way round, and we test every pair on the "
    "same muddy loop behind the workshop before it goes out. Use WELCOME15 for 15% off your first order."
)


def email_reply(subject: str = "Welcome to Trailhead", body: str = BODY, **fields: Any) -> dict[str, Any]:
    return {
        "subject": subject,
        "preheader": "Shoes for the long way round.",
        "body_markdown": body,
        "cta_label": "See the Trail Runner",
        "cta_url": "https://trailhead.example/runner",
        **fields,
    }
