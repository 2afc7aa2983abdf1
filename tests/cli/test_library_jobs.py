"""The CLI's library jobs, run in-process through main() and, for the entry point, as a real
`python -m seqstudio` process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seqstudio.cli.main import main
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.paths import shipped_dir
from seqstudio.core.storage import Library

EXAMPLES = shipped_dir("sequences") / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_lists_every_job() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "seqstudio", "--help"], capture_output=True, text=True, check=True
    )
    for job in ("new", "import", "list", "show", "export-file", "gui", "blueprints"):
        assert f"    {job}" in result.stdout


@pytest.mark.parametrize("kind", ["welcome", "cart_abandonment", "win_back", "cart"])
def test_new_writes_a_six_step_flow_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "flow.yaml"
    code, stdout, _ = run(
        capsys,
        "new",
        kind,
        "--name",
        "Spring",
        "--brand",
        str(EXAMPLES / "brand-fernweh.yaml"),
        "-o",
        str(out),
    )
    assert code == 0 and str(out) in stdout
    sequence = read_flow_file(out).sequence
    assert (sequence.name, sequence.brand.name, len(sequence.steps)) == ("Spring", "Fernweh Coffee", 6)
    assert sequence.offer.discount_codes[0].code == "HELLO10"


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "flow.yaml"
    out.write_text("keep me")
    code, _, err = run(capsys, "new", "welcome", "--name", "x", "-o", str(out))
    assert code == 2 and "already exists" in err and err.count("\n") == 1
    assert out.read_text() == "keep me"


def test_import_list_show_export_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "lib.sqlite3")
    code, out, _ = run(capsys, "--db", db, "import", str(EXAMPLES / "fernweh-welcome.yaml"))
    assert code == 0 and "Imported seq_example_fernweh_welcome" in out
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    [row] = json.loads(out)
    assert (
        row["id"] == "seq_example_fernweh_welcome" and row["kind"] == "welcome" and len(row["statuses"]) == 6
    )
    code, out, _ = run(capsys, "--db", db, "show", "seq_example_fernweh")
    assert "Fernweh welcome" in out and "Day 2" in out and "The Tuesday we burned 40 kilos" in out
    code, out, _ = run(capsys, "--db", db, "show", "seq_example_fernweh_welcome", "--json")
    assert json.loads(out)["format"] == "mailflow/v1"
    exported = tmp_path / "out.yaml"
    code, _, _ = run(capsys, "--db", db, "export-file", "seq_example_fernweh_welcome", "-o", str(exported))
    assert code == 0
    assert read_flow_file(exported).sequence == read_flow_file(EXAMPLES / "fernweh-welcome.yaml").sequence
    code, out, _ = run(capsys, "--db", db, "import", str(exported))
    assert "Updated" in out


def test_seqstudio_db_environment_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("SEQSTUDIO_DB", str(db))
    assert run(capsys, "import", str(EXAMPLES / "fernweh-welcome.yaml"))[0] == 0
    library = Library(db)
    assert [s.id for s in library.list_sequences()] == ["seq_example_fernweh_welcome"]
    library.close()


def test_show_reads_flow_files_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", str(EXAMPLES / "fernweh-welcome.yaml"))
    assert code == 0 and "Place my first order" not in out and "Your code runs out on 31 January" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new", "newsletter", "--name", "x", "-o", "x.yaml"], "No blueprint 'newsletter'"),
        (["show", "nothing-here"], "No sequence 'nothing-here'"),
        (["import", "missing.yaml"], "missing.yaml: no such file"),
        (["new", "welcome", "-o", "x.yaml"], "--name"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        exit_code = main(["--db", str(tmp_path / "l.sqlite3"), *argv])
    except SystemExit as stop:  # argparse exits by itself on malformed arguments
        exit_code = int(stop.code or 0)
    err = capsys.readouterr().err
    assert exit_code == 2
    assert message in err
    assert err.strip().count("\n") == 0, err


def test_a_bad_flow_file_import_names_line_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (EXAMPLES / "fernweh-welcome.yaml").read_text().replace("delay: P4D", "delay: four days", 1)
    )
    db = str(tmp_path / "lib.sqlite3")
    code, _, err = run(capsys, "--db", db, "import", str(bad))
    assert code == 2
    assert f"{bad}, line " in err and "steps[4].delay" in err
    assert run(capsys, "--db", db, "list", "--json")[1].strip() == "[]"


def test_import_as_copy_lives_beside_the_original(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "lib.sqlite3")
    run(capsys, "--db", db, "import", str(EXAMPLES / "fernweh-welcome.yaml"))
    code, out, _ = run(capsys, "--db", db, "import", "--as-copy", str(EXAMPLES / "fernweh-welcome.yaml"))
    assert code == 0 and "Imported seq_" in out
    rows = json.loads(run(capsys, "--db", db, "list", "--json")[1])
    assert sorted(r["name"] for r in rows) == ["Fernweh welcome", "Fernweh welcome (copy)"]
    assert len({r["id"] for r in rows}) == 2


def test_import_keeps_remote_ids_for_the_next_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text((EXAMPLES / "fernweh-welcome.yaml").read_text() + "x-klaviyo:\n  flow_id: F123\n")
    db = str(tmp_path / "lib.sqlite3")
    assert run(capsys, "--db", db, "import", str(flow))[0] == 0
    out = tmp_path / "out.yaml"
    assert run(capsys, "--db", db, "export-file", "seq_example_fernweh_welcome", "-o", str(out))[0] == 0
    assert read_flow_file(out).meta.blocks["x-klaviyo"] == {"flow_id": "F123"}
