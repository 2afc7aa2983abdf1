"""What can be told wrong about an email's link and image addresses without opening them: links
that go nowhere, run script, are relative or mistyped; mail links without an address; images
that cannot load; placeholder addresses (example.com) left in. Opening them is linkcheck.py's
job, and only when the user asks."""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from seqstudio.core.render.findings import Check, Level, describe_tag, snippet
from seqstudio.core.render.messages import message

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Merge tags of the common email platforms: an address holding one is filled per contact.
ESP_TAG = re.compile(r"\{\{|\{%|\*\||%%|<%|\[\[|\$\{")
UNSUBSCRIBE = re.compile(
    r"unsub|opt[ -]?out|abmelden|abbestellen|d[ée]sabonner|d[ée]sinscri|darse de baja|cancelar (la )?suscrip"
    r"|annulla l'iscrizione|afmelden|manage (your )?(email )?preferences|email preferences",
    re.IGNORECASE,
)
_UNSUBSCRIBE_LOWER = re.compile(UNSUBSCRIBE.pattern)  # for ASCII text lower-cased (names_unsubscribe)
_RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
_RESERVED_NAMES = ("example.com", "example.net", "example.org")
_UNDER_RESERVED_NAMES = tuple("." + name for name in _RESERVED_NAMES)
_RESERVED_HOSTS = frozenset({*_RESERVED_NAMES, "localhost", *(suffix[1:] for suffix in _RESERVED_SUFFIXES)})
_MAYBE_RESERVED = re.compile(r"example|\.test|\.invalid|localhost", re.IGNORECASE)
_EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_placeholder(url: str) -> bool:
    """An address on a name reserved for examples (RFC 2606 and 6761), which no reader can open."""
    return _placeholder(url, None)


def _placeholder(url: str, hostname: str | None) -> bool:
    """is_placeholder(url); `hostname`: urlsplit(url).hostname or "" when the caller has it."""
    if not _MAYBE_RESERVED.search(url):  # most addresses: no need to take them apart
        return False
    if hostname is None:
        try:
            hostname = urlsplit(url).hostname or ""
        except ValueError:
            return False
    host = hostname.rstrip(".").lower()
    return (
        host in _RESERVED_HOSTS or host.endswith(_UNDER_RESERVED_NAMES) or host.endswith(_RESERVED_SUFFIXES)
    )


def goes_somewhere(href: str) -> bool:
    """Whether a link address can take a reader anywhere: not empty, "#" or script."""
    href = href.strip()
    return href not in ("", "#") and not href.lower().startswith("javascript:")


def names_unsubscribe(text: str) -> bool:
    """Whether UNSUBSCRIBE finds anything in `text`, five times faster on ASCII text: there case
    folding pairs only A-Z with a-z, so the case-sensitive pattern on the lower-cased text finds
    the same. Other text goes to UNSUBSCRIBE itself (under IGNORECASE "ſ" matches "s")."""
    if text.isascii():
        return _UNSUBSCRIBE_LOWER.search(text.lower()) is not None
    return UNSUBSCRIBE.search(text) is not None


def read_links(links: list[LexborNode]) -> tuple[list[Check], list[tuple[bool, str]]]:
    """link-invalid for each <a> whose address is missing, empty, script, relative, mistyped, a
    mail link without an address, or a placeholder (unsubscribe links are exempt from the last:
    previews fill them from a sample contact); and for each unsubscribe link, whether it goes
    somewhere and where it is. Both in document order; each link's attributes are read once."""
    checks = []
    unsubscribe = []
    for link in links:
        attrs = link.attributes
        href = attrs.get("href") or ""
        leaves = names_unsubscribe(href) or names_unsubscribe(link.text())
        where = _where(link, attrs) if leaves else ""
        if leaves:
            unsubscribe.append((goes_somewhere(href), where))
        found = _link_problem(attrs, href.strip(), unsubscribe=leaves)
        if found is not None:
            checks.append(Check("link-invalid", found[0], found[1], where or _where(link, attrs)))
    return checks, unsubscribe


def _link_problem(attrs: dict[str, str | None], href: str, *, unsubscribe: bool) -> tuple[Level, str] | None:
    """The link-invalid level and message of a link (`href`: its address, stripped), or None."""
    if "href" not in attrs:
        if "name" not in attrs and "id" not in attrs:
            return Level.WARNING, message("link-invalid.missing")
        return None
    if href in ("", "#"):
        return Level.WARNING, message("link-invalid.empty", href=href)
    if href.lower().startswith("javascript:"):
        return Level.ERROR, message("link-invalid.javascript", href=snippet(href))
    if ESP_TAG.search(href):
        return None
    problem, host = _address_problem(href, "link")
    if problem:
        return Level.ERROR, problem
    if not unsubscribe and _placeholder(href, host):
        return Level.WARNING, message("link-invalid.placeholder", href=snippet(href))
    return None


def read_images(images: list[LexborNode]) -> tuple[list[Check], list[Check]]:
    """img-alt for each <img> without alt text, and link-invalid for each whose address cannot
    load in an inbox or is a placeholder. Both in document order; attributes are read once."""
    missing_alt = []
    checks = []
    for image in images:
        attrs = image.attributes
        where = describe_tag(image.tag, attrs)
        if "alt" not in attrs:
            missing_alt.append(Check("img-alt", Level.WARNING, message("img-alt"), where))
        src = (attrs.get("src") or "").strip()
        if not src:
            checks.append(Check("link-invalid", Level.ERROR, message("link-invalid.image-missing"), where))
        elif ESP_TAG.search(src):
            continue
        else:
            problem, host = _address_problem(src, "image")
            if problem:
                checks.append(Check("link-invalid", Level.ERROR, problem, where))
            elif _placeholder(src, host):
                text = message("link-invalid.placeholder", href=snippet(src))
                checks.append(Check("link-invalid", Level.WARNING, text, where))
    return missing_alt, checks


def _where(link: LexborNode, attrs: dict[str, str | None]) -> str:
    return snippet(f"{describe_tag(link.tag, attrs)} {link.text(strip=True)}")


def _address_problem(address: str, kind: str) -> tuple[str, str | None]:
    """Why `address` cannot work in an email, or ''; and its host when that was read (web
    addresses), for `_placeholder`."""
    found = SCHEME.match(address)
    if found is None:
        return message(f"link-invalid.relative-{kind}", href=snippet(address)), None
    scheme = found.group(1).lower()
    rest = address[found.end() :]
    if scheme in ("http", "https"):
        host = _host(address)
        if not rest.startswith("//") or not host:
            return message("link-invalid.no-host", href=snippet(address)), host
        return "", host
    if kind == "image":
        if scheme in ("cid", "data"):
            return "", None
        return message("link-invalid.image-scheme", href=snippet(address)), None
    if scheme == "mailto":
        recipient = rest.split("?", 1)[0]
        addresses = [a.strip() for a in recipient.split(",") if a.strip()]
        if not addresses or not all(_EMAIL_ADDRESS.match(a) for a in addresses):
            return message("link-invalid.mailto", href=snippet(address)), None
        return "", None
    if difflib.get_close_matches(scheme, ("http", "https"), n=1, cutoff=0.6) and scheme not in _OTHER_SCHEMES:
        return message("link-invalid.mistyped", href=snippet(address), scheme=scheme), None
    return "", None


def _host(address: str) -> str:
    """urlsplit(address).hostname or ""; most web addresses without taking them apart."""
    simple = _PLAIN_WEB_ADDRESS.match(address)
    if simple is not None and "\t" not in address and "\r" not in address and "\n" not in address:
        return simple.group(1).lower()  # no user, port, brackets or zone: urlsplit gives this too
    try:
        return urlsplit(address).hostname or ""
    except ValueError:  # an invalid port or IPv6 literal
        return ""


# A web address whose site is letters, digits, dots and hyphens up to its path (urlsplit drops
# tabs and line breaks before reading it, so addresses holding those take the long way).
_PLAIN_WEB_ADDRESS = re.compile(r"[hH][tT][tT][pP][sS]?://([A-Za-z0-9.-]+)(?:[/?#]|$)")

# Schemes a mail link may rightly use that look a little like http.
_OTHER_SCHEMES = {"ftp", "ftps", "sftp", "webcal"}
