"""A wheel built from the repo carries prompts/, resources/ and sequences/, and an installed copy
finds them away from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_wheel_carries_the_data_folders_and_works_away_from_the_checkout(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO_ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("seqstudio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "seqstudio/_data/resources/schemas/mailflow-v1.schema.json",
        "seqstudio/_data/sequences/welcome.yaml",
        "seqstudio/_data/sequences/examples/fernweh-welcome.yaml",
        "seqstudio/_data/prompts/README.md",
        "seqstudio/core/storage/migrations/versions/0001_initial.py",
        "seqstudio/core/storage/migrations/env.py",
    ):
        assert expected in names, expected

    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import seqstudio.core.paths as p, seqstudio.core.blueprints as b; "
        "print(p.shipped_dir('sequences')); print(sorted(b.BlueprintCatalog().load()))"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_DATA_HOME": str(elsewhere)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    folder, blueprints = result.stdout.splitlines()
    assert folder.startswith(str(target)), folder
    assert blueprints == "['cart_abandonment', 'welcome', 'win_back']"
