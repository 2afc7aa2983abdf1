"""What a flow file carries besides the sequence: identity (version, content hash) and the blocks
the model does not hold (`x-<target>` remote ids, rendered parts, A/B variants).

Reading keeps these as they are and writing puts them back, so read -> write is lossless; only
`version` moves, by one, when the sequence's content hash changed.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from seqstudio.core.model import Sequence
from seqstudio.core.serialize import sequence_to_dict

# Step keys the model does not hold but a flow file may: kept verbatim per step id.
STEP_EXTRA_KEYS = ("rendered", "variants")


def content_hash(sequence: Sequence) -> str:
    """sha256 of the sequence's canonical JSON: equal for equal content, whatever the file looks like."""
    canonical = json.dumps(sequence_to_dict(sequence), sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FlowMeta:
    """Identity and kept blocks of one flow file. Treat the dicts as read-only; use the `with_*`
    methods to derive a changed copy."""

    version: int = 0  # 0: never written with an identity
    content_hash: str = ""
    blocks: dict[str, Any] = field(default_factory=dict)  # top-level "x-…" blocks
    step_blocks: dict[str, dict[str, Any]] = field(default_factory=dict)  # step id -> kept keys

    def block(self, name: str) -> dict[str, Any]:
        """A copy of the `x-<name>` block, {} when absent."""
        value = self.blocks.get(f"x-{name}")
        return copy.deepcopy(value) if isinstance(value, dict) else {}

    def with_block(self, name: str, value: dict[str, Any]) -> FlowMeta:
        return replace(self, blocks={**self.blocks, f"x-{name}": copy.deepcopy(value)})

    def with_step_keys(self, step_id: str, values: dict[str, Any]) -> FlowMeta:
        merged = {**self.step_blocks.get(step_id, {}), **copy.deepcopy(values)}
        return replace(self, step_blocks={**self.step_blocks, step_id: merged})

    def for_write(self, sequence: Sequence) -> FlowMeta:
        """The identity to write with `sequence`: the version moves on when the content changed."""
        digest = content_hash(sequence)
        if self.version and digest == self.content_hash:
            return self
        return replace(self, version=self.version + 1, content_hash=digest)


def meta_from_document(data: dict[str, Any]) -> FlowMeta:
    """Pull identity and kept blocks out of a schema-checked flow document."""
    steps: dict[str, dict[str, Any]] = {}
    for step in data.get("steps") or ():
        kept = {k: v for k, v in step.items() if k.startswith("x-") or k in STEP_EXTRA_KEYS}
        if kept:
            steps[str(step["id"])] = copy.deepcopy(kept)
    return FlowMeta(
        version=int(data.get("version", 0) or 0),
        content_hash=str(data.get("content_hash", "")),
        blocks={k: copy.deepcopy(v) for k, v in data.items() if k.startswith("x-")},
        step_blocks=steps,
    )


def document_with_meta(body: dict[str, Any], meta: FlowMeta) -> dict[str, Any]:
    """Insert identity after `id`, kept step keys at the end of each step, x- blocks at the end."""
    document: dict[str, Any] = {}
    for key, value in body.items():
        document[key] = value
        if key == "id":
            document["version"] = meta.version
            document["content_hash"] = meta.content_hash
    document["steps"] = [
        {**step, **copy.deepcopy(meta.step_blocks.get(str(step["id"]), {}))} for step in body["steps"]
    ]
    document.update(copy.deepcopy(meta.blocks))
    return document
