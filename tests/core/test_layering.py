"""The core and the CLI never import Qt or the GUI (import-linter's forbidden contract), and a
fresh interpreter can use the core without Qt ever being loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_import_contract_holds() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--config", str(REPO_ROOT / "pyproject.toml")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT / "desktop"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_cli_runs_without_loading_qt() -> None:
    code = (
        "import sys; from seqstudio.cli.main import main; "
        "import seqstudio.core.storage, seqstudio.core.flowfile, seqstudio.core.blueprints; "
        "from seqstudio.cli.main import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'seqstudio.gui'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT / "desktop")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
