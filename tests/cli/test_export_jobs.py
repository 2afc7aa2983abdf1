"""export, simulate and send-test through main(), against local SMTP and Klaviyo servers."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from lxml import etree

from seqstudio.cli.main import main
from seqstudio.core.export.klaviyo.client import route
from seqstudio.core.export.state import state_path
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.paths import shipped_dir
from tests.support.klaviyo_server import klaviyo_stub
from tests.support.memory_keyring import MemoryKeyring
from tests.support.openapi import validation_errors
from tests.support.smtp_server import smtp_inbox

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
KEY = "pk_cli_secret_value_123"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def flow(tmp_path: Path) -> Path:
    path = tmp_path / "welcome.yaml"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    for name in ("SEQSTUDIO_KLAVIYO_API_KEY", "SEQSTUDIO_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_klaviyo_dry_run_prints_the_plan_as_json(
    capsys: pytest.CaptureFixture[str], flow: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with klaviyo_stub(validation_errors) as stub:
        monkeypatch.setenv("SEQSTUDIO_KLAVIYO_URL", stub.url)
        code, out, _ = run(capsys, "export", str(flow), "--to", "klaviyo", "--dry-run", "--json")
        assert stub.seen == [], "a dry run sends nothing"
    assert code == 0
    plan = json.loads(out)
    assert all(set(item) == {"method", "path", "body"} for item in plan)
    methods = [(item["method"], route(item["path"])) for item in plan]
    assert methods.count(("POST", "/api/templates")) == 6
    assert ("POST", "/api/flows") in methods
    flow_body = next(item["body"] for item in plan if item["path"] == "/api/flows")
    assert flow_body["data"]["attributes"]["definition"]["triggers"] == [
        {"type": "list", "id": "<list:Newsletter>"}
    ]
    assert "<template:st_fernweh_welcome_1>" in json.dumps(flow_body)


def test_klaviyo_export_keeps_ids_in_the_file_and_re_export_creates_nothing(
    capsys: pytest.CaptureFixture[str],
    flow: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory_keyring.set_password("seqstudio", "klaviyo:api_key", KEY)
    with klaviyo_stub(validation_errors) as stub:
        stub.state.lists["L1"] = "Newsletter"
        stub.state.metrics["M1"] = "Placed Order"
        monkeypatch.setenv("SEQSTUDIO_KLAVIYO_URL", stub.url)
        code, out, err = run(capsys, "export", str(flow), "--to", "klaviyo")
        assert code == 0, err
        assert KEY not in out + err, "the key is never printed"
        block = read_flow_file(flow).meta.block("klaviyo")
        assert block["flow_id"] in stub.state.flows and len(block["templates"]) == 6
        code, out, err = run(capsys, "export", str(flow), "--to", "klaviyo", "--json")
        assert code == 0, err
        summary = json.loads(out)
        assert summary["created"] == [] and len(summary["updated"]) == 6
        assert len(stub.state.flows) == 1 and len(stub.state.templates) == 6
        assert stub.invalid == []
        assert all(seen.headers["authorization"] == f"Klaviyo-API-Key {KEY}" for seen in stub.seen)


def test_klaviyo_without_a_key_says_how_to_add_one(
    capsys: pytest.CaptureFixture[str], flow: Path, memory_keyring: MemoryKeyring
) -> None:
    code, _, err = run(capsys, "export", str(flow), "--to", "klaviyo")
    assert code == 2
    assert "Klaviyo private API key is not in the keyring" in err
    assert "keyring set seqstudio klaviyo:api_key" in err and "SEQSTUDIO_KLAVIYO_API_KEY" in err


def test_file_exports(capsys: pytest.CaptureFixture[str], flow: Path, tmp_path: Path) -> None:
    assert run(capsys, "export", str(flow), "--to", "bpmn", "-o", str(tmp_path / "f.bpmn"))[0] == 0
    assert etree.parse(str(tmp_path / "f.bpmn")).getroot().tag.endswith("definitions")
    assert run(capsys, "export", str(flow), "--to", "n8n", "-o", str(tmp_path / "f.json"))[0] == 0
    assert json.loads((tmp_path / "f.json").read_text())["nodes"][0]["type"] == "n8n-nodes-base.webhook"
    assert run(capsys, "export", str(flow), "--to", "mailflow", "-o", str(tmp_path / "copy.json"))[0] == 0
    assert read_flow_file(tmp_path / "copy.json").sequence == read_flow_file(flow).sequence
    assert run(capsys, "export", str(flow), "--to", "bundle", "-o", str(tmp_path / "b.zip"))[0] == 0
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert len([n for n in archive.namelist() if n.endswith(".html")]) == 6
    code, out, _ = run(
        capsys, "export", str(flow), "--to", "bpmn", "-o", str(tmp_path / "g.bpmn"), "--dry-run"
    )
    assert code == 0 and "Would write" in out and not (tmp_path / "g.bpmn").exists()
    code, _, err = run(capsys, "export", str(flow), "--to", "bpmn", "-o", str(tmp_path / "f.bpmn"))
    assert code == 2 and "--force" in err


def test_simulate_prints_json_and_delivers_over_smtp(
    capsys: pytest.CaptureFixture[str], flow: Path, tmp_path: Path
) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("email,first_name,order_after\nada@example.org,Ada,\nbea@example.org,Bea,P3D\n")
    with smtp_inbox() as inbox:
        code, out, err = run(
            capsys,
            "simulate",
            str(flow),
            "--contacts",
            str(contacts),
            "--smtp",
            inbox.address,
            "--start",
            "2026-01-05T09:00Z",
            "--json",
        )
    assert code == 0, err
    rows = json.loads(out)
    assert all(set(row) == {"email", "step", "at", "sent", "reason"} for row in rows)
    assert [r["sent"] for r in rows if r["email"] == "ada@example.org"] == [True] * 6
    bea = [r for r in rows if r["email"] == "bea@example.org"]
    assert [r["sent"] for r in bea] == [True, True, False, False, False, False]
    assert bea[2]["reason"] == "exited: placed_order"
    assert rows[0]["at"] == "2026-01-05T09:00:00Z"
    assert len(inbox.messages) == 8


def test_simulate_prints_a_readable_timeline(
    capsys: pytest.CaptureFixture[str], flow: Path, tmp_path: Path
) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("email,first_name,order_after\nada@example.org,Ada,\n")
    code, out, _ = run(
        capsys, "simulate", str(flow), "--contacts", str(contacts), "--start", "2026-01-05T22:00Z"
    )
    assert code == 0
    lines = out.splitlines()
    assert "2026-01-06 08:00 UTC" in lines[0] and "moved into the send window" in lines[0]
    assert lines[-1] == "6 emails sent to 1 contacts."


def test_send_test_delivers_one_step(capsys: pytest.CaptureFixture[str], flow: Path) -> None:
    with smtp_inbox() as inbox:
        code, out, err = run(
            capsys, "send-test", str(flow), "--step", "2", "--to", "me@example.org", "--smtp", inbox.address
        )
    assert code == 0, err
    (message,) = inbox.messages
    assert message["Subject"] == "[TEST] The Tuesday we burned 40 kilos"
    assert (
        message["To"] == "me@example.org" and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert "Sent step 2" in out


def test_send_test_asks_the_keyring_for_the_password(
    capsys: pytest.CaptureFixture[str], flow: Path, memory_keyring: MemoryKeyring
) -> None:
    code, _, err = run(
        capsys,
        "send-test",
        str(flow),
        "--step",
        "1",
        "--to",
        "me@example.org",
        "--smtp",
        "127.0.0.1:9",
        "--user",
        "mara",
    )
    assert code == 2 and "keyring set seqstudio smtp:mara@127.0.0.1" in err


def test_a_library_sequence_keeps_its_remote_ids_beside_the_library(
    capsys: pytest.CaptureFixture[str],
    flow: Path,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "lib.sqlite3"
    assert run(capsys, "--db", str(db), "import", str(flow))[0] == 0
    memory_keyring.set_password("seqstudio", "klaviyo:api_key", KEY)
    with klaviyo_stub(validation_errors) as stub:
        stub.state.lists["L1"] = "Newsletter"
        stub.state.metrics["M1"] = "Placed Order"
        monkeypatch.setenv("SEQSTUDIO_KLAVIYO_URL", stub.url)
        ref = "seq_example_fernweh_welcome"
        assert run(capsys, "--db", str(db), "export", ref, "--to", "klaviyo")[0] == 0
        kept = json.loads(state_path(ref).read_text())["blocks"]["x-klaviyo"]
        assert kept["flow_id"] in stub.state.flows
        stub.state.templates.clear()  # ids kept: a re-export PATCHes them, and creates them when gone
        code, out, _ = run(capsys, "--db", str(db), "export", ref, "--to", "klaviyo", "--json")
        assert code == 0
        assert json.loads(out)["created"] == [f"template {n}" for n in range(1, 7)]
        assert len(stub.requests("PATCH", "/api/templates/{id}")) == 6
        assert len(stub.state.flows) == 1


def test_help_lists_the_export_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for job in ("export", "simulate", "send-test"):
        assert f"    {job}" in out


def test_the_key_can_come_from_the_environment_where_the_keyring_has_none(
    capsys: pytest.CaptureFixture[str],
    flow: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SEQSTUDIO_KLAVIYO_API_KEY", KEY)
    with klaviyo_stub(validation_errors) as stub:
        stub.state.lists["L1"] = "Newsletter"
        stub.state.metrics["M1"] = "Placed Order"
        monkeypatch.setenv("SEQSTUDIO_KLAVIYO_URL", stub.url)
        code, out, err = run(capsys, "export", str(flow), "--to", "klaviyo")
    assert code == 0, err
    assert stub.seen[0].headers["authorization"] == f"Klaviyo-API-Key {KEY}"
    assert KEY not in out + err
