"""An HTML email file read in the encoding a browser would use, or a message saying why not."""

from __future__ import annotations

import base64
import codecs
from pathlib import Path

import pytest

from seqstudio.core.errors import StudioError
from seqstudio.core.render.htmlsource import (
    PRESCAN_BYTES,
    EmailFile,
    decode_html,
    html_encoding,
    read_email_file,
    read_html_file,
)
from tests.support.messages import related_message

TEXT = "Grüße – nur 5 € für Sie"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta charset="windows-1252">', "windows-1252"),
        ("<META CHARSET=ISO-8859-1>", "cp1252"),  # the Standard reads Latin-1 as windows-1252
        ('<meta http-equiv="Content-Type" content="text/html; charset=latin1">', "cp1252"),
        ("<meta content='text/html;charset=iso-8859-15' http-equiv='content-type'>", "iso-8859-15"),
        ('<meta charset="utf-16">', "utf-8"),  # a <meta> read byte by byte is no UTF-16 file
        ('<meta charset="no-such-thing">', "utf-8"),
        ('<meta charset="base64">', "utf-8"),  # a codec, but not a text encoding
        ("<title>no declaration</title>", "utf-8"),
    ],
)
def test_the_declared_charset_decides(head: str, expected: str) -> None:
    assert html_encoding(f"<html><head>{head}</head>".encode("ascii")) == (expected, 0)


def test_a_byte_order_mark_wins_over_a_declaration() -> None:
    html = f'<meta charset="windows-1252"><p>{TEXT}</p>'
    assert decode_html(codecs.BOM_UTF8 + html.encode("utf-8"), "a.html") == html
    assert decode_html(codecs.BOM_UTF16_LE + html.encode("utf-16-le"), "a.html") == html
    assert decode_html(codecs.BOM_UTF16_BE + html.encode("utf-16-be"), "a.html") == html


def test_windows_1252_text_is_read_as_written() -> None:
    html = f'<meta charset="iso-8859-1"><p>{TEXT}</p>'
    assert decode_html(html.encode("cp1252"), "a.html") == html


def test_a_declaration_past_the_first_1024_bytes_does_not_count() -> None:
    late = b"<!--" + b" " * PRESCAN_BYTES + b'--><meta charset="windows-1252">'
    assert html_encoding(late) == ("utf-8", 0)


def test_bytes_that_are_not_text_say_where_and_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StudioError) as undeclared:
        decode_html(f"<p>{TEXT}</p>".encode("cp1252"), "old.html")
    assert undeclared.value.user_message == (
        "old.html is not UTF-8 text (byte 5) and declares no other charset; save it as UTF-8 or"
        ' declare its charset in a <meta charset="…"> tag.'
    )
    with pytest.raises(
        StudioError,
        match=r"old.html is read as windows-1252 \(the charset its <meta> tag declares\), but byte 32 is not",
    ):
        decode_html(b'<meta charset="windows-1252"><p>\x81</p>', "old.html")  # undefined in cp1252

    missing = tmp_path / "missing.html"
    with pytest.raises(StudioError, match="no such file"):
        read_html_file(missing)
    with pytest.raises(StudioError, match="is a folder"):
        read_html_file(tmp_path)


def test_a_message_file_gives_its_html_part_subject_and_text_part(tmp_path: Path) -> None:
    both = tmp_path / "both.eml"
    both.write_bytes(
        b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo\r\n"
        b"--b\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"<p>Gr=FC=DFe, 5 =80</p>\r\n--b--\r\n"
    )
    assert read_email_file(both) == EmailFile("<p>Grüße, 5 €</p>", subject="Grüße", has_text_part=True)

    page = tmp_path / "page.html"
    page.write_text("<p>Hi</p>", encoding="utf-8")
    assert read_email_file(page) == EmailFile("<p>Hi</p>")  # an HTML file has no headers

    odd = tmp_path / "odd.eml"
    odd.write_bytes(b"Subject: x\r\nContent-Type: text/html; charset=x-no-such-charset\r\n\r\n<p>Hi</p>\r\n")
    with pytest.raises(StudioError, match="the HTML part cannot be read as x-no-such-charset"):
        read_email_file(odd)


def test_a_messages_cid_images_are_drawn_from_its_parts_but_checked_as_sent(tmp_path: Path) -> None:
    saved = tmp_path / "related.eml"
    png = b"\x89PNG fake"
    saved.write_bytes(related_message(png).as_bytes())
    email = read_email_file(saved)
    assert 'src="cid:logo@x.test"' in email.html  # what the checks read
    shown = email.html_for_display()
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in shown
    assert EmailFile("<img src='cid:missing'>").html_for_display() == "<img src='cid:missing'>"
