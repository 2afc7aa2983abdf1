"""Every export target behind one interface, for the export dialog and the CLI: what a target
will create (the plan) and doing it (apply), with cancel and progress."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from seqstudio.core.cancel import CancelToken, ProgressFn, no_progress
from seqstudio.core.errors import StudioError
from seqstudio.core.export.bpmn import sequence_to_bpmn
from seqstudio.core.export.bundle import bundle_files, write_bundle
from seqstudio.core.export.klaviyo.client import BASE_URL, KlaviyoClient
from seqstudio.core.export.klaviyo.exporter import Checkpoint, PlannedRequest, export_klaviyo, plan_klaviyo
from seqstudio.core.export.n8n import sequence_to_n8n
from seqstudio.core.export.rendering import RenderFn
from seqstudio.core.flowfile import flow_text
from seqstudio.core.flowmeta import FlowMeta
from seqstudio.core.model import Sequence
from seqstudio.core.yamldoc import write_text_atomic

KLAVIYO_URL_ENV = "SEQSTUDIO_KLAVIYO_URL"  # another API host (a staging proxy, the tests' server)


class ExportTarget(StrEnum):
    MAILFLOW = "mailflow"
    BUNDLE = "bundle"
    BPMN = "bpmn"
    N8N = "n8n"
    KLAVIYO = "klaviyo"

    @property
    def label(self) -> str:
        return {
            "mailflow": "Flow file (mailflow/v1 YAML or JSON)",
            "bundle": "Bundle: flow file with each email's HTML and text (folder or .zip)",
            "bpmn": "BPMN 2.0 process (opens in Camunda Modeler, bpmn.io; runs in SpiffWorkflow)",
            "n8n": "n8n workflow (JSON to import)",
            "klaviyo": "Klaviyo: templates and a flow, every email in draft",
        }[self.value]

    @property
    def writes_file(self) -> bool:
        return self is not ExportTarget.KLAVIYO

    @property
    def suffix(self) -> str:
        return {"mailflow": ".yaml", "bundle": ".zip", "bpmn": ".bpmn", "n8n": ".json", "klaviyo": ""}[
            self.value
        ]


@dataclass(frozen=True)
class ExportOutcome:
    summary: str
    meta: FlowMeta  # with any new remote ids: keep it with the sequence
    notes: tuple[str, ...] = ()


def target_text(
    target: ExportTarget, sequence: Sequence, meta: FlowMeta, render: RenderFn, path: Path | None = None
) -> str:
    """The whole output of a single-file target (mailflow, bpmn, n8n)."""
    if target is ExportTarget.MAILFLOW:
        return flow_text(path or Path("flow.yaml"), sequence, meta)
    if target is ExportTarget.BPMN:
        return sequence_to_bpmn(sequence)
    if target is ExportTarget.N8N:
        return json.dumps(sequence_to_n8n(sequence, render), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"{target} does not export to one text file")


def plan_export(
    target: ExportTarget, sequence: Sequence, meta: FlowMeta, output: Path | None, render: RenderFn
) -> list[str]:
    """What applying will create or change, one line each; sends nothing and writes nothing."""
    if target is ExportTarget.KLAVIYO:
        return [_describe(request) for request in plan_klaviyo(sequence, meta, render=render)]
    if output is None:
        raise StudioError("Choose where to write the export.")
    if target is ExportTarget.BUNDLE:
        names = list(bundle_files(sequence, render, meta))
        where = f"into {output}" if output.suffix.lower() == ".zip" else f"in folder {output}"
        return [f"write {name} {where}" for name in names]
    verb = "replace" if output.exists() else "write"
    return [f"{verb} {output}"]


def _describe(request: PlannedRequest) -> str:
    """ "POST   /api/templates  template 'Fernweh welcome 1: …'" from a planned request."""
    data = (request.body or {}).get("data") or {}
    name = (data.get("attributes") or {}).get("name", "") if isinstance(data, dict) else ""
    kind = data.get("type", "") if isinstance(data, dict) else ""
    what = f"{kind} '{name}'" if name else kind
    return f"{request.method:<6} {request.path}  {what}".rstrip()


def klaviyo_client(api_key: str, cancel: CancelToken | None = None) -> KlaviyoClient:
    return KlaviyoClient(api_key, base_url=os.environ.get(KLAVIYO_URL_ENV) or BASE_URL, cancel=cancel)


def apply_export(
    target: ExportTarget,
    sequence: Sequence,
    meta: FlowMeta,
    output: Path | None,
    *,
    render: RenderFn,
    klaviyo_key: str = "",
    checkpoint: Checkpoint = lambda meta: None,
    cancel: CancelToken | None = None,
    on_progress: ProgressFn = no_progress,
) -> ExportOutcome:
    """Do the export. Files are written atomically; Klaviyo ids reach `checkpoint` after every create."""
    token = cancel or CancelToken()
    if target is ExportTarget.KLAVIYO:
        result = export_klaviyo(
            sequence,
            meta,
            klaviyo_client(klaviyo_key, token),
            render=render,
            checkpoint=checkpoint,
            cancel=token,
            on_progress=on_progress,
        )
        summary = f"Klaviyo flow {result.flow_id}: created {len(result.created)}, updated {len(result.updated)}; every email is in draft."
        return ExportOutcome(summary, result.meta, result.notes)
    if output is None:
        raise StudioError("Choose where to write the export.")
    if target is ExportTarget.BUNDLE:
        written = write_bundle(output, sequence, render, meta, cancel=token, on_progress=on_progress)
        return ExportOutcome(f"Wrote {len(written)} files to {output}.", meta)
    on_progress(0, 1, f"Writing {output.name}")
    write_text_atomic(output, target_text(target, sequence, meta, render, output))
    on_progress(1, 1, f"Wrote {output.name}")
    return ExportOutcome(f"Wrote {output}.", meta)
