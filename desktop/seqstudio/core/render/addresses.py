"""What can be told wrong about an email's link and image addresses without opening them: links
that go nowhere, run script, are relative or mistyped; mail links without an address; images
that cannot load; placeholder addresses (example.com) left in. Opening them is linkcheck.py's
job, and only when the user asks."""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from seqstudio.core.render.findings import Check, Level, describe, snippet
from seqstudio.core.render.messages import message

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Merge tags of the common email platforms: an address holding one is filled per contact.
ESP_TAG = re.compile(r"\{\{|\{%|\*\||%%|<%|\[\[|\$\{")
UNSUBSCRIBE = re.compile(
    r"unsub|opt[ -]?out|abmelden|abbestellen|d[ée]sabonner|d[ée]sinscri|darse de baja|cancelar (la )?suscrip"
    r"|annulla l'iscrizione|afmelden|manage (your )?(email )?preferences|email preferences",
    re.IGNORECASE,
)
_RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
_RESERVED_NAMES = ("example.com", "example.net", "example.org")
_MAYBE_RESERVED = re.compile(r"example|\.test|\.invalid|localhost", re.IGNORECASE)
_EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_placeholder(url: str) -> bool:
    """An address on a name reserved for examples (RFC 2606 and 6761), which no reader can open."""
    if not _MAYBE_RESERVED.search(url):  # most addresses: no need to take them apart
        return False
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    return (
        host in _RESERVED_NAMES
        or host.endswith(tuple("." + name for name in _RESERVED_NAMES))
        or host in ("localhost", *(suffix[1:] for suffix in _RESERVED_SUFFIXES))
        or host.endswith(_RESERVED_SUFFIXES)
    )


def goes_somewhere(href: str) -> bool:
    """Whether a link address can take a reader anywhere: not empty, "#" or script."""
    href = href.strip()
    return href not in ("", "#") and not href.lower().startswith("javascript:")


def is_unsubscribe(link: LexborNode) -> bool:
    return bool(UNSUBSCRIBE.search(link.attributes.get("href") or "") or UNSUBSCRIBE.search(link.text()))


def link_checks(links: list[LexborNode]) -> list[Check]:
    """link-invalid for each <a> whose address is missing, empty, script, relative, mistyped, a
    mail link without an address, or a placeholder (unsubscribe links are exempt from the last:
    previews fill them from a sample contact)."""
    checks = []
    for link in links:
        attrs = link.attributes
        if "href" not in attrs:
            if "name" not in attrs and "id" not in attrs:
                checks.append(
                    Check("link-invalid", Level.WARNING, message("link-invalid.missing"), link_where(link))
                )
            continue
        href = (attrs.get("href") or "").strip()
        if href in ("", "#"):
            text = message("link-invalid.empty", href=href)
            checks.append(Check("link-invalid", Level.WARNING, text, link_where(link)))
        elif href.lower().startswith("javascript:"):
            text = message("link-invalid.javascript", href=snippet(href))
            checks.append(Check("link-invalid", Level.ERROR, text, link_where(link)))
        elif ESP_TAG.search(href):
            continue
        elif problem := _address_problem(href, "link"):
            checks.append(Check("link-invalid", Level.ERROR, problem, link_where(link)))
        elif is_placeholder(href) and not is_unsubscribe(link):
            text = message("link-invalid.placeholder", href=snippet(href))
            checks.append(Check("link-invalid", Level.WARNING, text, link_where(link)))
    return checks


def image_checks(images: list[LexborNode]) -> list[Check]:
    """link-invalid for each <img> whose address cannot load in an inbox, or is a placeholder."""
    checks = []
    for image in images:
        src = (image.attributes.get("src") or "").strip()
        where = describe(image)
        if not src:
            checks.append(Check("link-invalid", Level.ERROR, message("link-invalid.image-missing"), where))
        elif ESP_TAG.search(src):
            continue
        elif problem := _address_problem(src, "image"):
            checks.append(Check("link-invalid", Level.ERROR, problem, where))
        elif is_placeholder(src):
            text = message("link-invalid.placeholder", href=snippet(src))
            checks.append(Check("link-invalid", Level.WARNING, text, where))
    return checks


def link_where(link: LexborNode) -> str:
    return snippet(f"{describe(link)} {link.text(strip=True)}")


def _address_problem(address: str, kind: str) -> str:
    """Why `address` cannot work in an email, or ''."""
    found = SCHEME.match(address)
    shown = snippet(address)
    if found is None:
        return message(f"link-invalid.relative-{kind}", href=shown)
    scheme = found.group(1).lower()
    rest = address[found.end() :]
    if scheme in ("http", "https"):
        if not rest.startswith("//") or not _host(address):
            return message("link-invalid.no-host", href=shown)
        return ""
    if kind == "image":
        return "" if scheme in ("cid", "data") else message("link-invalid.image-scheme", href=shown)
    if scheme == "mailto":
        recipient = rest.split("?", 1)[0]
        addresses = [a.strip() for a in recipient.split(",") if a.strip()]
        if not addresses or not all(_EMAIL_ADDRESS.match(a) for a in addresses):
            return message("link-invalid.mailto", href=shown)
        return ""
    if difflib.get_close_matches(scheme, ("http", "https"), n=1, cutoff=0.6) and scheme not in _OTHER_SCHEMES:
        return message("link-invalid.mistyped", href=shown, scheme=scheme)
    return ""


def _host(address: str) -> str:
    try:
        return urlsplit(address).hostname or ""
    except ValueError:  # an invalid port or IPv6 literal
        return ""


# Schemes a mail link may rightly use that look a little like http.
_OTHER_SCHEMES = {"ftp", "ftps", "sftp", "webcal"}
