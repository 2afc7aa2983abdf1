"""What a CLI job's FILE|ID argument names: a flow file on disk, or a sequence in the library."""

from __future__ import annotations

import argparse
from pathlib import Path

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Sequence
from seqstudio.core.paths import default_db_path
from seqstudio.core.storage import Library

FLOW_SUFFIXES = (".yaml", ".yml", ".json")


def db_path(args: argparse.Namespace) -> Path:
    """--db wins over SEQSTUDIO_DB, which wins over the user data directory."""
    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def open_library(args: argparse.Namespace) -> Library:
    return Library(db_path(args))


def is_flow_file_arg(text: str) -> bool:
    return text.lower().endswith(FLOW_SUFFIXES) or Path(text).is_file()


def load_sequence_arg(text: str, args: argparse.Namespace) -> Sequence:
    """Read `text` as a flow file when it looks like one, else as a library id, prefix or name."""
    if is_flow_file_arg(text):
        return read_flow_file(Path(text)).sequence
    library = open_library(args)
    try:
        return library.get_sequence(library.resolve(text))
    finally:
        library.close()
