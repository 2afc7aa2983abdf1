"""Opening the library file: SQLite in WAL mode, brought to the newest schema by Alembic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from seqstudio.core.errors import StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _known_revision(config: Config, revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(config).get_revision(revision) is not None
    except CommandError:  # a revision this app has never heard of: a newer app wrote the file
        return False


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the autosave, a crash keeps the log
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_engine(path: Path) -> Engine:
    """Create the file if needed and migrate it; raise StorageError with a readable reason."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(
            f"Cannot create the folder for the library at {path.parent}: {error.strerror}."
        ) from None
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    config = _alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            known = inspect(connection).get_table_names()
            current = (
                connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if ("alembic_version" in known)
                else None
            )
            if current is not None and not _known_revision(config, current):
                raise StorageError(
                    f"The library {path} was written by a newer version of Sequence Studio "
                    f"(schema {current}); update the app, or choose another file with --db."
                )
            command.upgrade(config, "head")
    except (DatabaseError, OperationalError) as error:
        engine.dispose()
        raise StorageError(
            f"Cannot open the library {path}: {error.orig}. If the file is damaged, move it aside "
            "and start again, or choose another file with --db.",
            str(error),
        ) from None
    except StorageError:
        engine.dispose()
        raise
    return engine
