"""Bringing a flow file into the library, with the remote ids of its earlier exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seqstudio.core.export.state import save_library_meta
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Sequence, copy_of
from seqstudio.core.storage import Library


@dataclass(frozen=True)
class ImportResult:
    sequence: Sequence
    added: bool  # False: an existing sequence with the same id was updated


def import_flow_file(library: Library, path: Path, *, as_copy: bool = False) -> ImportResult:
    """Read `path` whole, then add it (or update the stored copy). Its x- blocks are kept beside the
    library so a re-export updates instead of duplicating; a copy starts without them."""
    loaded = read_flow_file(path)
    sequence = copy_of(loaded.sequence, f"{loaded.sequence.name} (copy)") if as_copy else loaded.sequence
    added = library.import_sequence(sequence)
    if not as_copy and (loaded.meta.blocks or loaded.meta.step_blocks):
        save_library_meta(sequence.id, loaded.meta)
    return ImportResult(sequence, added)
