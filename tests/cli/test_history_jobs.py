from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from seqstudio.cli.main import main
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import RevisionOrigin
from seqstudio.core.paths import shipped_dir
from seqstudio.core.storage import Library

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"


def test_history_lists_shows_diffs_and_restores(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "lib.sqlite3"
    sequence = read_flow_file(EXAMPLE).sequence
    library = Library(db)
    library.add_sequence(sequence, RevisionOrigin.IMPORT)
    step = sequence.step(2)
    library.save_step(
        sequence.id,
        replace(step, email=replace(step.email, subject="Edited subject")),
        RevisionOrigin.AI_DRAFT,
        "llama3",
    )
    library.close()

    assert main(["--db", str(db), "history", sequence.id, "--step", "2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["origin"], r["model"], r["subject"]) for r in rows] == [
        ("ai_draft", "llama3", "Edited subject"),
        ("import", "", step.email.subject),
    ]
    oldest = rows[-1]["id"]
    assert main(["--db", str(db), "history", sequence.id, "--step", "2", "--diff", str(oldest)]) == 0
    diff = capsys.readouterr().out
    assert f"-Subject: {step.email.subject}" in diff and "+Subject: Edited subject" in diff
    assert main(["--db", str(db), "history", sequence.id, "--step", "2", "--restore", str(oldest)]) == 0
    capsys.readouterr()
    library = Library(db)
    assert library.get_sequence(sequence.id).step(2).email.subject == step.email.subject
    assert library.step_revisions(step.id)[0].origin is RevisionOrigin.RESTORE
    library.close()
    assert main(["--db", str(db), "history", sequence.id, "--step", "2", "--show", "999999"]) == 2
    assert "no revision 999999" in capsys.readouterr().err
