"""What a CLI job's FILE|ID argument names: a flow file on disk, or a sequence in the library."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from seqstudio.core.export.state import load_library_meta, save_library_meta
from seqstudio.core.flowfile import read_flow_file, write_flow_file
from seqstudio.core.flowmeta import FlowMeta
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


@dataclass
class Source:
    """A sequence with its flow-file blocks, and where to keep changed blocks."""

    sequence: Sequence
    meta: FlowMeta
    path: Path | None  # the flow file, or None for a library sequence
    fingerprint: str = ""

    def keep(self, meta: FlowMeta) -> None:
        """Store new remote ids at once: in the flow file (refusing outside edits), else beside the library."""
        if self.path is not None:
            self.fingerprint = write_flow_file(self.path, self.sequence, self.fingerprint, meta)
        else:
            save_library_meta(self.sequence.id, meta)
        self.meta = meta


def load_source(text: str, args: argparse.Namespace) -> Source:
    """As load_sequence_arg, with the flow file's identity and x- blocks (or the library's)."""
    if is_flow_file_arg(text):
        loaded = read_flow_file(Path(text))
        return Source(loaded.sequence, loaded.meta, Path(text), loaded.fingerprint)
    sequence = load_sequence_arg(text, args)
    return Source(sequence, load_library_meta(sequence.id), None)
