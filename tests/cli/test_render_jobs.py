"""The render, check and preview jobs through main(), without Qt (the web engine is injected
by the launcher; tests/gui/preview covers it)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from seqstudio.cli.main import main
from seqstudio.core.export.mime import build_message
from seqstudio.core.export.rendering import default_render
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.paths import shipped_dir
from seqstudio.core.storage import Library
from tests.support.shared import shared_path
from tests.support.web_server import web_server

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def templates() -> Path:
    return shared_path("eval", "templates")


def test_check_json_reports_each_file(capsys: pytest.CaptureFixture[str], templates: Path) -> None:
    clean, postmark = templates / "leemunroe/email.html", templates / "postmark/basic-full-welcome.html"
    code, out, _ = run(capsys, "check", "--json", "--no-render", str(clean), str(postmark))
    reports = json.loads(out)
    assert [r["path"] for r in reports] == [str(clean), str(postmark)]
    assert reports[0]["bytes"] == clean.stat().st_size and reports[0]["checks"] == []
    assert 0 < reports[1]["inlined_bytes"] != reports[1]["bytes"]  # the <style> block moved into attributes
    assert set(reports[1]["checks"][0]) == {"id", "level", "message", "where"}
    assert {c["id"] for c in reports[1]["checks"]} >= {
        "unsubscribe-missing",
        "template-tags",
        "lang-viewport",
    }
    assert code == 1  # unsubscribe-missing is an error


def test_check_exit_codes_and_text_output(
    capsys: pytest.CaptureFixture[str], templates: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "check", "--no-render", str(templates / "leemunroe/email.html"))
    assert code == 0 and "no problems found" in out
    code, out, _ = run(
        capsys,
        "check",
        "--no-render",
        "--subject",
        "A subject far too long for a phone to show in full",
        str(templates / "leemunroe/email.html"),
    )
    assert code == 0 and "subject-length" in out
    code, _, err = run(capsys, "check", "--no-render", str(tmp_path / "missing.html"))
    assert code == 2 and err == f"seqstudio: error: {tmp_path / 'missing.html'}: no such file.\n"


def test_check_says_when_the_width_was_not_measured(
    capsys: pytest.CaptureFixture[str], templates: Path
) -> None:
    code, out, _ = run(capsys, "check", "--json", str(templates / "leemunroe/email.html"))
    checks = json.loads(out)[0]["checks"]
    assert [(c["id"], c["level"]) for c in checks] == [("mobile-overflow", "info")] and code == 0


def test_render_writes_html_text_and_checks_per_step(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = run(
        capsys,
        "render",
        str(EXAMPLE),
        "-o",
        str(out_dir),
        "--today",
        "2026-11-30",
        "--layout",
        "letter",
        "--no-render",
    )
    assert code == 0 and out.count("step ") == 6
    for position in range(1, 7):
        html = (out_dir / f"step-{position}.html").read_text()
        assert html.startswith("<!DOCTYPE html>") and "Georgia" in html
        assert (
            "Unsubscribe (https://example.com/unsubscribe" in (out_dir / f"step-{position}.txt").read_text()
        )
        report = json.loads((out_dir / f"step-{position}.checks.json").read_text())
        assert report["path"].endswith(f"step-{position}.html") and report["subject"]
        assert report["inlined_bytes"] == len(html.encode())
        assert "mobile-overflow" not in {c["id"] for c in report["checks"]}  # --no-render
    sequence_checks = json.loads((out_dir / "sequence-checks.json").read_text())
    assert {c["id"] for c in sequence_checks} == {"step-not-approved"}


def test_render_by_library_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite3"
    assert run(capsys, "--db", str(db), "import", str(EXAMPLE))[0] == 0
    library = Library(db)
    sequence_id = library.list_sequences()[0].id
    library.close()
    code, _, _ = run(
        capsys,
        "--db",
        str(db),
        "render",
        sequence_id,
        "-o",
        str(tmp_path / "out"),
        "--contact",
        "sample-no-name",
    )
    assert code == 0 and (tmp_path / "out" / "step-1.txt").read_text().startswith("Hi there")
    # no web engine from this entry point: the report says the width was not measured
    report = json.loads((tmp_path / "out" / "step-1.checks.json").read_text())
    assert [c["level"] for c in report["checks"] if c["id"] == "mobile-overflow"] == ["info"]


def test_render_rejects_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "render", str(EXAMPLE), "-o", str(tmp_path), "--contact", "nobody")
    assert code == 2 and "no sample contact 'nobody'" in err
    code, _, err = run(capsys, "render", str(EXAMPLE), "-o", str(tmp_path), "--today", "soon")
    assert code == 2 and "is not a date" in err


def test_preview_needs_the_web_engine_from_the_launcher(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, templates: Path
) -> None:
    code, _, err = run(
        capsys, "preview", str(templates / "leemunroe/email.html"), "-o", str(tmp_path / "p.png")
    )
    assert code == 2 and "web engine" in err and not (tmp_path / "p.png").exists()


def test_check_and_lint_read_an_email_in_its_declared_charset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Older templates are windows-1252; read as UTF-8 they would fail or turn € into junk."""
    email = tmp_path / "latin.html"
    email.write_bytes(
        b'<html lang="de"><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        b"</head><body><p>Gr\xfc\xdfe aus M\xfcnchen: nur 5 \x80 statt 9 \x80.</p>"
        b'<p><a href="javascript:void(0)">Jetzt kaufen</a></p></body></html>'
    )
    code, out, _ = run(capsys, "check", "--no-render", "--json", str(email))
    (report,) = json.loads(out)
    assert code == 1  # the javascript: link is an error
    assert ("link-invalid", "error") in [(c["id"], c["level"]) for c in report["checks"]]
    assert report["bytes"] == len(email.read_bytes()) + 7  # ü, ß, ü and two € take 7 more bytes in UTF-8

    code, out, _ = run(capsys, "lint", "--json", str(email))
    assert code == 0 and json.loads(out)[0]["words"] == 11

    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(b"<p>Gr\xfc\xdfe</p>")
    code, _, err = run(capsys, "check", "--no-render", str(undeclared), str(email))
    assert code == 2 and "is not UTF-8 text (byte 5) and declares no other charset" in err


def test_check_suggests_the_lang_the_email_is_written_in(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    german = tmp_path / "german.html"
    german.write_text(
        "<html><body><p>Hallo Anna, schön, dass du dabei bist. Wir haben etwas für dich und"
        " deine Freunde, und es ist nicht teuer.</p></body></html>",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "check", "--no-render", "--json", str(german))
    (lang,) = [c for c in json.loads(out)[0]["checks"] if c["where"] == "<html>"]
    assert 'Add lang="de"' in lang["message"]


def test_check_reads_a_saved_message_as_it_was_sent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A test send saved from a mail client: our own MIME message, checked with its subject."""
    flow = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
    sequence = read_flow_file(flow).sequence
    step = sequence.step(1)
    rendered = default_render()(sequence, step, {"first_name": "Ana", "unsubscribe_url": "https://x.test/u"})
    sent = build_message(
        rendered, brand=sequence.brand, to="ana@x.test", unsubscribe="https://x.test/u", test=True
    )
    saved = tmp_path / "test-send.eml"
    saved.write_bytes(sent.as_bytes())

    code, out, _ = run(capsys, "check", "--no-render", "--json", str(saved))
    (report,) = json.loads(out)
    assert code == 0, report["checks"]  # no check of our own test send is an error
    assert report["subject"] == f"[TEST] {step.email.subject}"
    assert report["bytes"] == report["inlined_bytes"]  # checked as sent, not inlined again
    ids = {c["id"] for c in report["checks"]}
    assert not ids & {"text-part-missing", "unsubscribe-missing", "postal-address-missing"}, report["checks"]
    assert ("subject-length" in ids) == (len(report["subject"]) > 40)

    _, out, _ = run(capsys, "check", "--no-render", "--json", "--subject", "Hi", str(saved))
    assert json.loads(out)[0]["subject"] == "Hi"


def test_check_of_a_message_without_a_text_part_or_without_html(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    html_only = EmailMessage()
    html_only["Subject"] = "Grüße aus der Rösterei"
    html_only.set_content(
        '<html lang="de"><body><p>Grüße aus München!</p><a href="https://x.test/abmelden">Abmelden</a></body></html>',
        subtype="html",
        charset="iso-8859-1",
    )
    saved = tmp_path / "html-only.eml"
    saved.write_bytes(html_only.as_bytes())
    _, out, _ = run(capsys, "check", "--no-render", "--json", str(saved))
    checks = json.loads(out)[0]["checks"]
    assert ("text-part-missing", "warning") in [(c["id"], c["level"]) for c in checks]
    assert "unsubscribe-missing" not in {c["id"] for c in checks}  # the Latin-1 part was decoded

    text_only = EmailMessage()
    text_only.set_content("Just text.")
    plain = tmp_path / "plain.eml"
    plain.write_bytes(text_only.as_bytes())
    code, _, err = run(capsys, "check", "--no-render", str(plain))
    assert code == 2 and f"{plain} is a message without an HTML part" in err


def test_check_links_opens_each_address_once_and_fails_on_a_dead_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with web_server() as server:
        page = tmp_path / "mail.html"
        page.write_text(
            f'<html><body><a href="{server.base}/ok">Shop</a> <a href="{server.base}/gone">Old sale</a>'
            f'<img src="{server.base}/logo.png" alt="Logo"> <a href="{server.base}/unsubscribe">Unsubscribe</a>'
            "</body></html>",
            encoding="utf-8",
        )
        copy = tmp_path / "copy.html"
        copy.write_bytes(page.read_bytes())
        code, out, _ = run(capsys, "check", "--json", "--no-render", "--links", str(page), str(copy))
        opened = sorted(server.paths("HEAD"))
    assert opened == ["/gone", "/logo.png", "/ok"]  # once for both files; never the unsubscribe link
    for report in json.loads(out):
        broken = [c for c in report["checks"] if c["id"] == "link-broken"]
        assert [(c["level"], c["where"]) for c in broken] == [("error", f'<a href="{server.base}/gone">')]
    assert code == 1

    code, out, _ = run(capsys, "check", "--json", "--no-render", str(page))
    assert "link-broken" not in out  # without --links nothing is opened


def test_render_links_reports_per_step(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with web_server() as server:
        flow = tmp_path / "flow.yaml"
        flow.write_text(EXAMPLE.read_text(encoding="utf-8").replace("https://fernweh.example", server.base))
        out_dir = tmp_path / "out"
        code, _, _ = run(capsys, "render", str(flow), "-o", str(out_dir), "--no-render", "--links")
        heads = server.paths("HEAD")
    assert code == 1  # the shop pages do not exist on this server: dead links are errors
    assert len(heads) == len(set(heads)) and "/logo.png" in heads  # each address once for six steps
    step_1 = json.loads((out_dir / "step-1.checks.json").read_text())
    broken = {c["where"] for c in step_1["checks"] if c["id"] == "link-broken"}
    assert broken and all(server.base in where for where in broken)  # the shop pages do not exist here
    assert not any(c["id"] == "image-broken" for c in step_1["checks"])  # the logo is a real PNG


def test_render_keep_tags_leaves_merge_tags_for_the_platform(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "render", str(EXAMPLE), "-o", str(tmp_path / "kept"), "--no-render", "--keep-tags"
    )
    html = (tmp_path / "kept" / "step-1.html").read_text()
    assert "first_name" in html and "Hi Ana" not in html
    assert 'href="{{ unsubscribe_url }}"' in html and "sample-ana" not in html
    assert "sample contact" not in out and code == 0

    code, out, _ = run(capsys, "render", str(EXAMPLE), "-o", str(tmp_path / "filled"), "--no-render")
    assert "merge tags filled from the sample contact 'sample-ana' (--keep-tags to leave them)" in out
    code, _, err = run(
        capsys, "render", str(EXAMPLE), "-o", str(tmp_path / "x"), "--keep-tags", "--contact", "a"
    )
    assert code == 2 and "drop --contact, or --keep-tags" in err


def test_render_exits_1_when_a_check_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # The example's code HELLO10 expires on 2027-01-31: rendered later, its offer checks are errors.
    code, out, _ = run(
        capsys, "render", str(EXAMPLE), "-o", str(tmp_path), "--no-render", "--today", "2027-02-15"
    )
    assert "sequence:" in out and "errors" in out.splitlines()[-1]
    assert code == 1


def test_render_and_preview_say_what_is_wrong_with_the_output_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("mine")
    code, _, err = run(capsys, "render", str(EXAMPLE), "-o", str(a_file), "--no-render")
    assert code == 2 and "is a file; -o names the folder" in err and a_file.read_text() == "mine"
    code, _, err = run(capsys, "preview", str(EXAMPLE), "-o", str(tmp_path))
    assert code == 2 and "is a folder; -o names the PNG file" in err
    code, _, err = run(capsys, "preview", str(EXAMPLE), "-o", str(tmp_path / "shot.jpg"))
    assert code == 2 and "name the file .png" in err


@pytest.mark.parametrize(
    ("name", "advice"), [("flow.yaml", "seqstudio render"), ("draft.md", "seqstudio lint")]
)
def test_check_refuses_files_that_are_not_emails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, advice: str
) -> None:
    path = tmp_path / name
    path.write_text("name: not an email\n")
    code, out, err = run(capsys, "check", "--no-render", str(path))
    assert code == 2 and out == "" and advice in err and "not an HTML email" in err
