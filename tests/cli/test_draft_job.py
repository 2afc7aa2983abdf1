"""`seqstudio draft` against a real OpenAI-compatible server on 127.0.0.1, and offline."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from seqstudio.cli.main import main
from seqstudio.core.flowfile import read_flow_file, write_flow_file
from seqstudio.core.model import RevisionOrigin, StepStatus
from seqstudio.core.paths import shipped_dir
from seqstudio.core.storage import Library
from tests.support.openai_server import OpenAICompatibleServer, Reply

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
TEST_KEY = "sk-test-never-printed-0123456789"


@pytest.fixture
def server() -> OpenAICompatibleServer:
    with OpenAICompatibleServer() as running:
        yield running


@pytest.fixture
def fresh_flow(tmp_path: Path) -> Path:
    """The example sequence with every step back to empty, so drafting may fill all six."""
    sequence = read_flow_file(EXAMPLE).sequence
    steps = tuple(replace(s, status=StepStatus.EMPTY) for s in sequence.steps)
    path = tmp_path / "flow.yaml"
    write_flow_file(path, replace(sequence, steps=steps))
    return path


def test_offline_draft_fills_a_flow_file(
    capsys: pytest.CaptureFixture[str], fresh_flow: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert main(["draft", str(fresh_flow), "--offline", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["step"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert all(r["ok"] and r["origin"].startswith("Offline draft") for r in rows)
    sequence = read_flow_file(fresh_flow).sequence
    assert all(s.status is StepStatus.DRAFTED and s.email.body for s in sequence.steps)


def test_draft_through_a_compatible_server_into_the_library(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    server: OpenAICompatibleServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    db = str(tmp_path / "lib.sqlite3")
    assert main(["--db", db, "import", str(EXAMPLE)]) == 0
    capsys.readouterr()
    code = main(
        [
            "--db",
            db,
            "draft",
            "seq_example_fernweh_welcome",
            "--base-url",
            server.base_url,
            "--model",
            "local-test",
            "--step",
            "3",
            "--overwrite",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Drafted 1 of 1 steps" in out
    assert TEST_KEY not in out + err
    library = Library(Path(db))
    step = library.get_sequence("seq_example_fernweh_welcome").step(3)
    [latest, *_] = library.step_revisions(step.id)
    assert (latest.origin, latest.model, step.status) == (
        RevisionOrigin.AI_DRAFT,
        "local-test",
        StepStatus.DRAFTED,
    )
    assert any(
        r.step.email.subject == '"I stopped buying supermarket coffee"'
        for r in library.step_revisions(step.id)
    )
    library.close()
    assert len(server.requests) == 1 and "The job of this email: Show proof" in server.requests[0].prompt


def test_human_edits_are_skipped_without_overwrite(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    server: OpenAICompatibleServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "flow.yaml"
    shutil.copy(EXAMPLE, path)  # steps 1-2 approved, 3-6 revised: all a person's words
    before = path.read_text()
    code = main(["draft", str(path), "--base-url", server.base_url, "--model", "m"])
    _, err = capsys.readouterr()
    assert code == 2 and "--overwrite" in err
    assert path.read_text() == before and server.requests == []


def test_a_failed_step_exits_1_and_the_others_are_saved(
    capsys: pytest.CaptureFixture[str],
    fresh_flow: Path,
    server: OpenAICompatibleServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    server.script(
        Reply.refused("I can't help with that."),
        Reply.refused("I can't help with that."),
        when=lambda request: "The job of this email: Show proof" in request.prompt,
    )
    code = main(["draft", str(fresh_flow), "--base-url", server.base_url, "--model", "m", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 1
    failed = [r for r in rows if not r["ok"]]
    assert [r["step"] for r in failed] == [3] and "can't help" in failed[0]["error"]
    sequence = read_flow_file(fresh_flow).sequence
    assert [s.status for s in sequence.steps] == [StepStatus.DRAFTED] * 2 + [StepStatus.EMPTY] + [
        StepStatus.DRAFTED
    ] * 3


def test_bad_base_url_is_bad_input(capsys: pytest.CaptureFixture[str], fresh_flow: Path) -> None:
    assert main(["draft", str(fresh_flow), "--base-url", "localhost:11434"]) == 2
    assert "http://" in capsys.readouterr().err


def test_drafting_a_flow_file_keeps_its_export_blocks(
    capsys: pytest.CaptureFixture[str], fresh_flow: Path
) -> None:
    text = fresh_flow.read_text()
    fresh_flow.write_text(text + "x-klaviyo:\n  flow_id: XyZ123\n")
    loaded = read_flow_file(fresh_flow)
    assert loaded.meta.blocks.get("x-klaviyo") == {"flow_id": "XyZ123"}
    assert main(["draft", str(fresh_flow), "--offline", "--step", "2"]) == 0
    capsys.readouterr()
    again = read_flow_file(fresh_flow)
    assert again.meta.blocks.get("x-klaviyo") == {"flow_id": "XyZ123"}
    assert again.sequence.step(2).status is StepStatus.DRAFTED
