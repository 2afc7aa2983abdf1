"""Reading an HTML email from a file the way a browser decides its encoding.

Emails exported from other tools are not always UTF-8: older templates declare windows-1252 or
ISO-8859-1 in a <meta> tag. As the HTML Standard says: a byte-order mark wins; otherwise a
charset declared in a <meta> within the first 1024 bytes; otherwise UTF-8 (a browser would guess
windows-1252 there, but guessing could misread a file that is simply broken, so that is an error
that says what to do).
"""

from __future__ import annotations

import codecs
import re
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


def read_html_file(path: Path) -> str:
    """`decode_html` of a file; a StudioError saying what went wrong when it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise StudioError(f"{path}: no such file.", str(error)) from error
    except IsADirectoryError as error:
        raise StudioError(f"{path} is a folder; give the files in it.", str(error)) from error
    except OSError as error:
        raise StudioError(f"Cannot read {path}: {error.strerror}.", str(error)) from error
    return decode_html(data, str(path))
