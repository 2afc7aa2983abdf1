"""`seqstudio lint`: text, Markdown, HTML and flow files, standard input, JSON, exit codes."""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml

from seqstudio.cli.main import main
from seqstudio.core.paths import shipped_dir
from seqstudio.core.tells.rules import user_rules_dir
from seqstudio.core.tells.textextract import html_visible_text

REPO_ROOT = Path(__file__).resolve().parents[2]
DRAFT = (
    "Hi Sam,\n\nIn today's fast-paced world, our seamless app is not just a tool, but a partner.\n"
    "Unlock the full potential of your mornings.\n\nBest,\nAna\n"
)
PLAIN = "Hi Sam,\n\nYour bag shipped this morning and should arrive on Thursday.\n\nInes\n"
FLOW = {
    "format": "mailflow/v1",
    "id": "spring",
    "name": "Spring",
    "kind": "welcome",
    "brand": {"name": "Fernweh", "language": "en"},
    "trigger": {"event": "subscribed"},
    "steps": [
        {
            "position": 1,
            "delay": "PT0S",
            "purpose": "Hello",
            "email": {"subject": "Elevate your mornings", "body": PLAIN},
        },
        {
            "position": 2,
            "delay": "P2D",
            "purpose": "Story",
            "email": {"preheader": "We delve into beans", "body": DRAFT},
        },
    ],
}


def lint_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    code = main(["lint", "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else []


def test_text_output_lists_flags_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    assert main(["lint", str(draft)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{draft}: 26 words, tell density")
    assert "reads machine-written" in out
    assert '  3:1 [stock-opener] "In today\'s fast-paced"' in out
    assert '  4:1 [buzzword] "Unlock the full potential"' in out
    assert "Try: " in out


def test_json_has_one_object_per_input_in_the_documented_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft, plain = tmp_path / "draft.md", tmp_path / "plain.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    plain.write_text(PLAIN, encoding="utf-8")
    code, reports = lint_json(capsys, str(draft), str(plain))
    assert code == 0
    assert [r["path"] for r in reports] == [str(draft), str(plain)]
    first, second = reports
    assert set(first) >= {"path", "words", "tell_density", "flags", "readability"}
    assert first["flagged"] is True and second["flagged"] is False and second["flags"] == []
    flags = first["flags"]
    assert isinstance(flags, list) and flags
    for flag in flags:
        assert set(flag) >= {"rule", "category", "start", "end", "text", "severity", "why", "suggestion"}
        assert DRAFT[flag["start"] : flag["end"]] == flag["text"]
    readability = first["readability"]
    assert isinstance(readability, dict) and {"grade", "words_per_sentence", "long_sentences"} <= set(
        readability
    )


def test_html_offsets_refer_to_the_visible_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = "<html><head><title>Seamless</title></head><body><p>We are thrilled to announce</p>" \
        "<p>a <b>cutting-edge</b> app.</p></body></html>"  # fmt: skip
    page = tmp_path / "mail.html"
    page.write_text(html, encoding="utf-8")
    _, (report,) = lint_json(capsys, str(page))
    visible = html_visible_text(html)
    texts = [(f["text"], visible[f["start"] : f["end"]]) for f in report["flags"]]  # type: ignore[index, union-attr]
    assert texts == [("We are thrilled to", "We are thrilled to"), ("cutting-edge", "cutting-edge")]


def test_a_flow_file_is_linted_field_by_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow = tmp_path / "spring.yaml"
    flow.write_text(yaml.safe_dump(FLOW), encoding="utf-8")
    _, (report,) = lint_json(capsys, str(flow))
    fields = {(f["field"], f["text"]) for f in report["flags"]}  # type: ignore[index, union-attr]
    assert ("steps[0].email.subject", "Elevate") in fields
    assert ("steps[1].email.preheader", "delve") in fields
    assert ("steps[1].email.body", "Unlock the full potential") in fields
    assert not any(field == "steps[0].email.body" for field, _ in fields)
    assert [p["field"] for p in report["parts"]] == [  # type: ignore[index, union-attr]
        "steps[0].email.subject", "steps[0].email.body", "steps[1].email.preheader", "steps[1].email.body",
    ]  # fmt: skip


def test_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", stdin(DRAFT.encode("utf-8")))
    code, (report,) = lint_json(capsys, "-")
    assert code == 0 and report["path"] == "-" and report["flagged"] is True


def stdin(data: bytes) -> io.TextIOWrapper:
    """Standard input as Python opens it under a C or UTF-8 locale."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")


def test_standard_input_that_is_not_utf8_is_refused_as_a_file_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", stdin("Caf\xe9 \u201cdelve\u201d".encode("cp1252")))
    assert main(["lint", "-"]) == 2
    assert capsys.readouterr().err.startswith("seqstudio: error: Standard input is not UTF-8 text")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_text_file_with_a_byte_order_mark_is_read_in_its_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, suffix: str
) -> None:
    draft = tmp_path / f"draft{suffix}"
    bom = {"utf-16-be": "\ufeff", "utf-32-be": "\ufeff"}.get(encoding, "")  # the others write their own
    draft.write_bytes((bom + DRAFT.replace("\n", "\r\n")).encode(encoding))
    code, (report,) = lint_json(capsys, str(draft))
    assert code == 0 and report["flagged"] is True
    (flag,) = [f for f in report["flags"] if f["rule"] == "en.opener.scene-setting"]  # type: ignore[index]
    assert (flag["start"], flag["text"]) == (DRAFT.index("In today"), "In today's fast-paced")


def test_german_suggestions_are_labelled_in_german(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "de.txt"
    text.write_text("Hallo! Wir freuen uns, dass du da bist. Unsere nahtlose App ist da.", encoding="utf-8")
    assert main(["lint", str(text)]) == 0
    out = capsys.readouterr().out
    assert " Vorschlag: " in out and "Try:" not in out


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT * 400, encoding="utf-8")  # far more output than a pipe holds
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "desktop")}
    process = subprocess.Popen(
        [sys.executable, "-m", "seqstudio", "lint", str(draft)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    head = [process.stdout.readline() for _ in range(3)]  # like `| head -3`
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert head[0].startswith(str(draft)) and error == ""


def test_german_by_flag_or_by_guess(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "de.txt"
    text.write_text("Hallo! Wir freuen uns, dass du da bist. Unsere nahtlose App ist da.", encoding="utf-8")
    _, (guessed,) = lint_json(capsys, str(text))
    _, (forced,) = lint_json(capsys, "--lang", "en", str(text))
    assert guessed["language"] == "de"
    assert [f["rule"] for f in guessed["flags"]] == ["de.buzz.adjectives"]  # type: ignore[index, union-attr]
    assert forced["language"] == "en" and forced["flags"] == []


def test_a_target_grade_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "a.txt"
    text.write_text(DRAFT, encoding="utf-8")
    _, (report,) = lint_json(capsys, "--target-grade", "1", str(text))
    assert report["readability"]["over_target"] is True  # type: ignore[index]


def test_user_rules_apply_unless_switched_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = user_rules_dir()
    folder.mkdir(parents=True)
    (folder / "house.yaml").write_text(
        yaml.safe_dump({
            "language": "en",
            "rules": [
                {"id": "en.house.bag", "category": "house-style", "severity": 1, "why": "We say pouch.",
                 "suggestions": ["pouch"], "pattern": ["bag"]},
            ],
        }),
        encoding="utf-8",
    )  # fmt: skip
    text = tmp_path / "plain.txt"
    text.write_text(PLAIN, encoding="utf-8")
    _, (with_user,) = lint_json(capsys, str(text))
    _, (without,) = lint_json(capsys, "--no-user-rules", str(text))
    assert [f["rule"] for f in with_user["flags"]] == ["en.house.bag"]  # type: ignore[index, union-attr]
    assert without["flags"] == []


def test_unreadable_input_exits_2_and_a_partial_run_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x81 not utf-8")  # (FF FE would be a UTF-16 byte-order mark)
    good = tmp_path / "good.txt"
    good.write_text(PLAIN, encoding="utf-8")

    assert main(["lint", str(tmp_path / "missing.txt")]) == 2
    assert capsys.readouterr().err == f"seqstudio: error: {tmp_path / 'missing.txt'}: no such file.\n"
    assert main(["lint", str(binary)]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err
    odd = tmp_path / "odd.txt"
    odd.write_bytes(codecs.BOM_UTF16_LE + b"A")  # a byte short of a UTF-16 character
    assert main(["lint", str(odd)]) == 2
    assert "is read as utf-16-le (its byte-order mark), but byte 2 is not." in capsys.readouterr().err
    assert main(["lint", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: mailflow/v1\nsteps: [\n", encoding="utf-8")
    assert main(["lint", str(broken)]) == 2
    assert "broken.yaml" in capsys.readouterr().err

    code, reports = lint_json(capsys, str(good), str(binary))
    assert code == 1 and [r["path"] for r in reports] == [str(good), str(binary)]
    assert "error" not in reports[0] and "is not UTF-8 text" in str(reports[1]["error"])
    assert set(reports[1]) == {"path", "error"}
    assert main(["lint", str(binary), str(tmp_path / "missing.txt")]) == 2


def test_json_has_an_object_for_an_input_that_could_not_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing.md")
    assert main(["lint", "--json", missing]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out) == [{"path": missing, "error": f"{missing}: no such file."}]
    assert err == f"seqstudio: error: {missing}: no such file.\n"


def test_the_installed_entry_point_runs_the_job(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "desktop")}
    result = subprocess.run(
        [sys.executable, "-m", "seqstudio", "lint", "--json", str(draft)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert report["flagged"] is True


def test_a_flow_files_brand_words_to_avoid_are_flagged_outside_the_density(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    example = (shipped_dir("sequences") / "examples" / "fernweh-cart.yaml").read_text(encoding="utf-8")
    assert "  - journey\n" in example  # the brand avoids it
    plain = "You left the house blend in your cart an hour ago."
    flow = tmp_path / "cart.yaml"
    flow.write_text(example.replace(plain, "Your journey starts with the house blend."), encoding="utf-8")
    code, (report,) = lint_json(capsys, str(flow))
    brand = [f for f in report["flags"] if f["rule"] == "brand.words-to-avoid"]
    assert code == 0 and [(f["text"], f["category"], f["field"]) for f in brand] == [
        ("journey", "brand-voice", "steps[0].email.body")
    ]
    assert report["tell_density"] == 0.0  # the example has no tells; the brand's word adds nothing


def test_a_long_sentence_is_shown_at_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("Hi Sam,\n\nShort one. We " + "really " * 30 + "like coffee.\n", encoding="utf-8")
    assert main(["lint", str(draft)]) == 0
    assert "  3:12 long sentence (33 words)\n" in capsys.readouterr().out


def test_a_saved_message_is_linted_by_subject_and_visible_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = "<html><body><p>I hope this email finds you well.</p><p>Your beans leave on Wednesday.</p></body></html>"
    saved = saved_message(
        tmp_path / "sent.eml", "I hope this email finds you well. Your beans leave on Wednesday.", html
    )
    assert_hope_flagged(capsys, saved)


def saved_message(path: Path, text: str, html: str | None = None) -> Path:
    """A message as a mail client saves it: subject "Unlock your mornings", `text`, and `html` as
    its alternative when given."""
    message = EmailMessage()
    message["Subject"] = "Unlock your mornings"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    path.write_bytes(message.as_bytes())
    return path


def assert_hope_flagged(capsys: pytest.CaptureFixture[str], saved: Path) -> None:
    code, (report,) = lint_json(capsys, str(saved))
    assert code == 0
    assert [(f["field"], f["text"]) for f in report["flags"]] == [  # type: ignore[index]
        ("subject", "Unlock"),
        ("body", "I hope this email finds you well"),
    ]


def test_the_hidden_preheader_of_a_saved_message_is_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = EmailMessage()
    message["Subject"] = "Your beans"
    message.set_content(
        '<html><body><div style="display:none">Delve into our rich tapestry of blends.</div>'
        "<p>Hi Sam, your beans ship Wednesday.</p></body></html>",
        subtype="html",
    )
    saved = tmp_path / "sent.eml"
    saved.write_bytes(message.as_bytes())
    code, (report,) = lint_json(capsys, str(saved))
    assert code == 0
    assert [p["field"] for p in report["parts"]] == ["subject", "preheader", "body"]  # type: ignore[index]
    assert {(f["field"], f["text"]) for f in report["flags"]} == {  # type: ignore[index]
        ("preheader", "Delve"),
        ("preheader", "tapestry"),
    }


def test_a_message_sent_as_plain_text_is_linted_by_its_text_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "I hope this email finds you well.\n\nYour beans leave on Wednesday.\n"
    assert_hope_flagged(capsys, saved_message(tmp_path / "plain.eml", text))

    headerless = tmp_path / "notes.eml"
    headerless.write_bytes(b"\x89PNG\r\n\x1a\n not a message at all")
    code = main(["lint", str(headerless)])
    assert code == 2 and "is not a saved email message (.eml): it has no headers" in capsys.readouterr().err
