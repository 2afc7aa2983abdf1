"""Reading an HTML email from a file: an .html file in the encoding a browser would decide on,
or a saved message (.eml, as mail clients and ESP test sends save them) through its MIME parts.

Emails exported from other tools are not always UTF-8: older templates declare windows-1252 or
ISO-8859-1 in a <meta> tag. As the HTML Standard says: a byte-order mark wins; otherwise a
charset declared in a <meta> within the first 1024 bytes; otherwise UTF-8 (a browser would guess
windows-1252 there, but guessing could misread a file that is simply broken, so that is an error
that says what to do).
"""

from __future__ import annotations

import base64
import codecs
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import MessageError
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from pathlib import Path

from seqstudio.core.errors import StudioError

PRESCAN_BYTES = 1024  # how far the HTML Standard looks for a declaration
# <meta charset="…"> and <meta http-equiv="Content-Type" content="text/html; charset=…">
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:+-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# The Standard reads these labels as windows-1252, and a declared UTF-16 as UTF-8 (a file whose
# <meta> could be read byte by byte is not UTF-16).
_AS_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"})


def html_encoding(data: bytes) -> tuple[str, int]:
    """The encoding to read `data` with and how many leading bytes (a byte-order mark) to skip."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    declared = _META_CHARSET.search(data[:PRESCAN_BYTES])
    if declared is None:
        return "utf-8", 0
    label = declared.group(1).decode("ascii").lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252", 0
    if label.startswith(("utf-16", "utf16")):
        return "utf-8", 0
    try:
        b"x".decode(label)  # (an empty bytes object decodes with any label at all)
    except LookupError:  # an unknown label, or a codec that is no text encoding (base64)
        return "utf-8", 0
    except UnicodeDecodeError:
        pass  # a real encoding that needs more bytes than one
    return label, 0


def decode_html(data: bytes, name: str) -> str:
    """The text of an HTML file's bytes; `name` says which file in the message of a StudioError
    raised when the bytes are not text in the encoding found."""
    encoding, skip = html_encoding(data)
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        at = error.start + skip
        if encoding == "utf-8" and not skip:
            message = (
                f"{name} is not UTF-8 text (byte {at}) and declares no other charset; save it as"
                ' UTF-8 or declare its charset in a <meta charset="…"> tag.'
            )
        else:
            source = "its byte-order mark" if skip else "the charset its <meta> tag declares"
            message = f"{name} is read as {encoding} ({source}), but byte {at} is not {encoding} text."
        raise StudioError(message, str(error)) from error


HTML_SUFFIXES = (".html", ".htm")
MESSAGE_SUFFIXES = (".eml",)  # a saved message, read through its MIME parts


@dataclass(frozen=True)
class EmailFile:
    """What a file gives the checks. `subject` and `has_text_part` come from a message's headers
    and parts; an HTML file has neither (None). `inline_images` maps a message's Content-IDs to
    data: URLs of those image parts, for drawing `cid:` images (see `html_for_display`)."""

    html: str
    subject: str | None = None
    has_text_part: bool | None = None
    inline_images: dict[str, str] = field(default_factory=dict)

    def html_for_display(self) -> str:
        """`html` with each `cid:` image of the message as a data: URL, so a preview can draw it;
        the checks read `html` itself, as it was sent."""
        if not self.inline_images:
            return self.html
        return _CID.sub(lambda m: self.inline_images.get(m.group(2), m.group(0)), self.html)


_CID = re.compile(r"(cid:)([^\s\"'<>)]+)", re.IGNORECASE)


class NoHtmlPartError(StudioError):
    """A saved message sent as plain text only (lint reads it with `read_message_text`)."""


def read_email_file(path: Path) -> EmailFile:
    """An .eml file's HTML part, subject and whether a plain-text part comes with it; any other
    file as HTML (`read_html_file`). A StudioError says what went wrong."""
    if path.suffix.lower() not in MESSAGE_SUFFIXES:
        return EmailFile(read_html_file(path))
    message = _parse_message(path)
    html_part = message.get_body(preferencelist=("html",))
    if html_part is None:
        raise NoHtmlPartError(f"{path} is a message without an HTML part; there is nothing to check.")
    html = _part_text(path, html_part, "HTML")
    return EmailFile(
        html,
        subject=str(message.get("subject", "")),
        has_text_part=message.get_body(preferencelist=("plain",)) is not None,
        inline_images=_inline_images(message),
    )


def read_message_text(path: Path) -> tuple[str, str]:
    """A saved message's subject and its plain-text part (for linting a message sent without
    HTML). A StudioError says what went wrong, e.g. that it has no text at all."""
    message = _parse_message(path)
    text_part = message.get_body(preferencelist=("plain",))
    if text_part is None:
        raise StudioError(f"{path} is a message with neither an HTML nor a plain-text part.")
    return str(message.get("subject", "")), _part_text(path, text_part, "plain-text")


def _parse_message(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(read_file_bytes(path))
    assert isinstance(message, EmailMessage)  # what policy.default builds
    if not message.keys():  # anything parses as a message; a saved one starts with headers
        raise StudioError(f"{path} is not a saved email message (.eml): it has no headers.")
    return message


def _part_text(path: Path, part: MIMEPart, kind: str) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, MessageError) as error:
        charset = part.get_content_charset() or "its charset"
        raise StudioError(f"{path}: the {kind} part cannot be read as {charset}.", str(error)) from error
    if not isinstance(content, str):
        raise StudioError(f"{path}: the {kind} part is not text.")
    return content


def _inline_images(message: EmailMessage) -> dict[str, str]:
    """cid -> data: URL of every image part with a Content-ID (the brackets taken off)."""
    images = {}
    for part in message.walk():
        content_id = part.get("content-id")
        if content_id is None or part.get_content_maintype() != "image":
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            encoded = base64.b64encode(data).decode("ascii")
            images[str(content_id).strip().strip("<>")] = f"data:{part.get_content_type()};base64,{encoded}"
    return images


def read_html_file(path: Path) -> str:
    """`decode_html` of a file; a StudioError saying what went wrong when it cannot be read."""
    return decode_html(read_file_bytes(path), str(path))


def read_file_bytes(path: Path) -> bytes:
    """The bytes of `path`; a StudioError naming the file when it is missing, a folder or unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise StudioError(f"{path}: no such file.", str(error)) from error
    except IsADirectoryError as error:
        raise StudioError(f"{path} is a folder; give the files in it.", str(error)) from error
    except OSError as error:
        raise StudioError(f"Cannot read {path}: {error.strerror}.", str(error)) from error
