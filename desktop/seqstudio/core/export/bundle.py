"""`--to bundle`: the flow file plus each step's rendered .html and .txt, in a folder or a zip.

The flow file in the bundle names its sibling files in each step's `rendered` block, so reading
it back keeps them (see core.flowmeta).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from seqstudio.core.cancel import CancelToken, ProgressFn, no_progress
from seqstudio.core.errors import StudioError
from seqstudio.core.export.rendering import RenderedEmail, RenderFn
from seqstudio.core.flowfile import flow_text
from seqstudio.core.flowmeta import FlowMeta
from seqstudio.core.model import Sequence
from seqstudio.core.yamldoc import write_text_atomic


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "sequence"


def bundle_files(
    sequence: Sequence,
    render: RenderFn,
    meta: FlowMeta | None = None,
    *,
    cancel: CancelToken | None = None,
    on_progress: ProgressFn = no_progress,
) -> dict[str, str]:
    """Relative path -> text of every file in the bundle (the flow file first)."""
    meta = meta or FlowMeta()
    files: dict[str, str] = {}
    steps = sorted(sequence.steps, key=lambda s: s.position)
    for done, step in enumerate(steps):
        if cancel is not None:
            cancel.raise_if_cancelled()
        on_progress(done, len(steps), f"Rendering step {step.position}")
        rendered: RenderedEmail = render(sequence, step, None)
        stem = f"emails/{step.position}-{slug(step.purpose)}"
        files[f"{stem}.html"], files[f"{stem}.txt"] = rendered.html, rendered.text
        meta = meta.with_step_keys(
            step.id, {"rendered": {"html_file": f"{stem}.html", "text_file": f"{stem}.txt"}}
        )
    name = f"{slug(sequence.name)}.mailflow.yaml"
    on_progress(len(steps), len(steps), "Bundle ready")
    return {name: flow_text(Path(name), sequence, meta), **files}


def write_bundle(
    target: Path,
    sequence: Sequence,
    render: RenderFn,
    meta: FlowMeta | None = None,
    *,
    cancel: CancelToken | None = None,
    on_progress: ProgressFn = no_progress,
) -> list[str]:
    """Write the bundle into folder `target`, or a zip when it ends in .zip; return the paths written.
    A folder that exists must be empty, so a bundle never mixes with other files."""
    files = bundle_files(sequence, render, meta, cancel=cancel, on_progress=on_progress)
    if target.suffix.lower() == ".zip":
        temp = target.with_name(f".{target.name}.tmp")
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        temp.replace(target)
        return [f"{target}:{name}" for name in files]
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StudioError(f"{target} exists and is not an empty folder; choose a new folder or a .zip name")
    for name, text in files.items():
        write_text_atomic(target / name, text)
    return [str(target / name) for name in files]
