"""The MIME message for test sends and simulated delivery: multipart/alternative (text, then
HTML), From/Reply-To from the brand, List-Unsubscribe and one-click List-Unsubscribe-Post."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import quote

from seqstudio.core.export.rendering import RenderedEmail
from seqstudio.core.model import Brand


def unsubscribe_url(brand: Brand, email: str, base: str = "") -> str:
    """The per-recipient HTTPS unsubscribe link (RFC 8058 one-click needs HTTPS): `base`, or the
    brand's sending domain when none is set."""
    root = base.rstrip("/") or f"https://{brand.from_email.rpartition('@')[2] or 'localhost'}"
    return f"{root}/unsubscribe?email={quote(email)}"


def build_message(
    rendered: RenderedEmail,
    *,
    brand: Brand,
    to: str,
    unsubscribe: str,
    sent_at: datetime | None = None,
    test: bool = False,
) -> EmailMessage:
    """One email ready for SMTP. `unsubscribe` is the HTTPS link put in List-Unsubscribe."""
    message = EmailMessage()
    sender = brand.from_email or "no-reply@localhost"
    message["From"] = formataddr((brand.from_name or brand.name, sender))
    message["To"] = to
    if brand.reply_to:
        message["Reply-To"] = brand.reply_to
    message["Subject"] = ("[TEST] " if test else "") + rendered.subject
    message["Date"] = format_datetime(sent_at) if sent_at else format_datetime(datetime.now().astimezone())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    mailto = f"mailto:{sender}?subject=unsubscribe"
    message["List-Unsubscribe"] = f"<{unsubscribe}>, <{mailto}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
