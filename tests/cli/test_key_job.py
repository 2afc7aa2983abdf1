"""`seqstudio key set|delete|status` against an in-memory keyring; the key is never printed."""

from __future__ import annotations

import io
from collections.abc import Iterator

import keyring
import keyring.backends.fail
import pytest

from seqstudio.cli.main import main
from seqstudio.core.secrets import API_KEY_ENTRY, SERVICE
from tests.support.memory_keyring import MemoryKeyring

KEY = "sk-cli-secret-987654321"


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    yield memory
    keyring.set_keyring(previous)


def test_set_reads_stdin_and_stores_without_printing(backend, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    assert main(["key", "set"]) == 0
    assert backend.passwords[(SERVICE, API_KEY_ENTRY)] == KEY
    out = capsys.readouterr()
    assert KEY not in out.out + out.err and "Stored" in out.out


def test_status_and_delete(backend, monkeypatch, capsys) -> None:
    backend.set_password(SERVICE, API_KEY_ENTRY, KEY)
    assert main(["key", "status"]) == 0
    assert "system keyring" in capsys.readouterr().out
    assert main(["key", "delete"]) == 0
    assert "Removed" in capsys.readouterr().out
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    assert main(["key", "delete"]) == 0
    out = capsys.readouterr().out
    assert "No stored API key" in out and "still set in the environment" in out and KEY not in out
    main(["key", "status"])
    assert "OPENAI_API_KEY environment variable" in capsys.readouterr().out


def test_the_key_is_never_an_argument(backend, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["key", "set", KEY])
    assert exited.value.code == 2
    assert backend.passwords == {}


def test_without_a_keyring_set_fails_and_points_to_the_environment(monkeypatch, capsys) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
        assert main(["key", "set"]) == 2
    finally:
        keyring.set_keyring(previous)
    err = capsys.readouterr().err
    assert "No system keyring is available" in err and "OPENAI_API_KEY" in err and KEY not in err


def test_an_empty_key_is_bad_input(backend, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["key", "set"]) == 2
