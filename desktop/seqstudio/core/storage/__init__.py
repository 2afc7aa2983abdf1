"""The sequence library: SQLite through SQLAlchemy, migrated by Alembic."""

from seqstudio.core.storage.library import Library, SequenceSummary, SettingsRevision

__all__ = ["Library", "SequenceSummary", "SettingsRevision"]
