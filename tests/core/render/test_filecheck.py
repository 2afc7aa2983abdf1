"""The checks of an email file this app did not make, as `check` and the window both run them."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from seqstudio.core.errors import StudioError
from seqstudio.core.render.filecheck import check_email_file

PAGE = (
    "<html><head><style>p { color: #333 }</style></head><body><p>Hallo Anna, schön, dass du da bist."
    ' Wir haben etwas für dich und deine Freunde.</p><a href="https://x.test/abmelden">Abmelden</a></body></html>'
)


def test_an_html_file_is_inlined_and_checked_in_its_language(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    checked = check_email_file(page)
    assert checked.source == PAGE and '<p style="color: #333;">' in checked.html  # inlined as sent
    assert checked.subject is None and "Hallo Anna" in checked.text
    lang = next(c for c in checked.checks if c.where == "<html>")
    assert 'lang="de"' in lang.message
    assert "text-part-missing" not in {c.id for c in checked.checks}  # a file has no parts
    assert check_email_file(page, subject="Hallo").subject == "Hallo"


def test_a_message_is_checked_as_sent_with_its_subject(tmp_path: Path) -> None:
    message = EmailMessage()
    message["Subject"] = "A subject far too long for any phone to show in full"
    message.set_content(PAGE, subtype="html")
    saved = tmp_path / "sent.eml"
    saved.write_bytes(message.as_bytes())
    checked = check_email_file(saved)
    assert checked.html == checked.source  # not inlined again
    assert {"subject-length", "text-part-missing"} <= {c.id for c in checked.checks}


def test_an_unreadable_file_names_itself(tmp_path: Path) -> None:
    with pytest.raises(StudioError, match=r"missing\.html: no such file"):
        check_email_file(tmp_path / "missing.html")
