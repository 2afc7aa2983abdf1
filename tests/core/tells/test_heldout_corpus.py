"""The independent held-out corpus (benchmarks/data/aitell-heldout/README.md): every row names its
source, full commit, date and licence, human texts predate the cutoff, and the loader reads each
file as held out whole, in its own language. The files are third-party test data kept beside the
clone; where none is present, only the checks on made-up rows run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.aitell_corpus import HELDOUT_DIRS, corpus_language, load_corpus, provenance_problems

GOOD_HUMAN = {
    "id": "example:welcome",
    "label": "human",
    "text": " ".join(["word"] * 40),
    "kind": "welcome",
    "source_repo": "example/app",
    "path": "app/views/welcome.txt",
    "commit": "0" * 40,
    "commit_date": "2021-05-01T10:00:00+00:00",
    "license": "MIT",
    "language": "en",
    "corpus": "aitell-heldout",
}


def heldout_files() -> list[Path]:
    return sorted(p for d in HELDOUT_DIRS if d.is_dir() for p in d.glob("*.jsonl"))


def test_provenance_check_accepts_a_complete_row_and_names_what_is_missing() -> None:
    assert provenance_problems(GOOD_HUMAN) == []
    late = dict(GOOD_HUMAN, commit_date="2023-01-02T00:00:00+00:00", commit="abc123", license="")
    assert provenance_problems(late) == [
        "no license",
        "commit is not a full SHA",
        "human text committed on or after 2022-11-30",
    ]
    ai = dict(GOOD_HUMAN, label="ai", commit_date="2023-07-29T00:00:00+00:00", language="fr")
    assert provenance_problems(ai) == [
        "language must be 'en' or 'de'",
        "no generator",
        "no prompt_id",
        "no instruction",
    ]


def test_loader_holds_out_a_heldout_corpus_whole_in_its_language(tmp_path: Path) -> None:
    rows = [dict(GOOD_HUMAN, language="de"), dict(GOOD_HUMAN, id="example:ai", label="ai", language="de")]
    path = tmp_path / "heldout-de.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = load_corpus(path)
    assert [i.split for i in items] == ["heldout", "heldout"]
    assert corpus_language(items) == "de"
    path.write_text(json.dumps(GOOD_HUMAN) + "\n" + json.dumps(rows[0]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mixes languages"):
        corpus_language(load_corpus(path))


def test_every_heldout_row_is_traceable_and_in_one_language() -> None:
    files = heldout_files()
    if not files:
        pytest.skip(
            "no held-out corpus here: its files are third-party text kept out of the repository, "
            "to be placed in ../shared/eval/aitell-heldout (benchmarks/data/aitell-heldout/README.md)"
        )
    for path in files:
        check_heldout_file(path)


def check_heldout_file(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows), "ids must be unique"
    problems = {r["id"]: p for r in rows if (p := provenance_problems(r))}
    assert not problems, f"{path.name}: {problems}"
    items = load_corpus(path)
    assert {i.split for i in items} == {"heldout"}
    assert corpus_language(items) == path.stem.rsplit("-", 1)[-1]
    assert {i.label for i in items} == {"ai", "human"}
