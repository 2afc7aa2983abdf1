"""Where a library sequence keeps its flow-file blocks (x-klaviyo remote ids…) between exports.

A flow file carries them itself; a sequence that lives only in the library has no file, so they
go to `<user data>/export-state/<sequence id>.json`, written atomically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from seqstudio.core.flowmeta import FlowMeta
from seqstudio.core.paths import user_data_dir
from seqstudio.core.yamldoc import write_text_atomic


def state_path(sequence_id: str, root: Path | None = None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", sequence_id)
    return (root or user_data_dir() / "export-state") / f"{safe}.json"


def load_library_meta(sequence_id: str, root: Path | None = None) -> FlowMeta:
    path = state_path(sequence_id, root)
    if not path.exists():
        return FlowMeta()
    data = json.loads(path.read_text(encoding="utf-8"))
    return FlowMeta(
        version=int(data.get("version", 0)),
        content_hash=str(data.get("content_hash", "")),
        blocks=dict(data.get("blocks") or {}),
        step_blocks=dict(data.get("step_blocks") or {}),
    )


def save_library_meta(sequence_id: str, meta: FlowMeta, root: Path | None = None) -> Path:
    path = state_path(sequence_id, root)
    document = {
        "version": meta.version,
        "content_hash": meta.content_hash,
        "blocks": meta.blocks,
        "step_blocks": meta.step_blocks,
    }
    write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path
