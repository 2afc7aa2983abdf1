"""Typed errors of the core. Each carries a `user_message` (what happened, what to do) and a
`detail` for the log. The core never shows dialogs; the GUI and the CLI show `user_message`."""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail


class ValidationError(StudioError):
    """A value broke a rule of the model; `problems` lists every field at fault."""

    def __init__(self, problems: list[tuple[str, str]], context: str = "") -> None:
        self.problems = problems
        head = f"{context}: " if context else ""
        lines = [f"{field}: {message}" for field, message in problems]
        super().__init__(head + "; ".join(lines), "\n".join(lines))


class FlowFileError(StudioError):
    """A flow or blueprint file could not be read; the message names the file, line and field."""

    def __init__(self, path: str, message: str, line: int | None = None, field: str = "") -> None:
        where = f"{path}, line {line}" if line is not None else path
        what = f"{field}: {message}" if field else message
        super().__init__(f"{where}: {what}")
        self.path = path
        self.line = line
        self.field = field


class FileChangedOnDiskError(StudioError):
    """A file a person keeps in git changed since we read it; we refuse to overwrite it."""


class NotFoundError(StudioError):
    """A sequence, step, revision or blueprint that was asked for does not exist."""


class StorageError(StudioError):
    """The library database could not be opened or written."""


class CancelledError(StudioError):
    """Slow work stopped because the user cancelled it."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")
