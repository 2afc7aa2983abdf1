"""Saved messages (.eml) for the tests of reading and checking them."""

from __future__ import annotations

from email.message import EmailMessage


def related_message(png: bytes) -> EmailMessage:
    """A message whose HTML shows an image part by its Content-ID, as mail clients save them."""
    message = EmailMessage()
    message["Subject"] = "Spring"
    message.set_content("Spring beans are in.")
    message.add_alternative(
        '<p><img src="cid:logo@x.test" alt="Logo"> Spring beans are in.</p>', subtype="html"
    )
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html_part.add_related(png, maintype="image", subtype="png", cid="<logo@x.test>")
    return message
