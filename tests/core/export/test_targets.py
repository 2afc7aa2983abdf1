"""The export targets behind one interface: the plan names what apply then creates."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from seqstudio.core.errors import StudioError
from seqstudio.core.export.rendering import default_render
from seqstudio.core.export.targets import ExportTarget, apply_export, plan_export
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.flowmeta import FlowMeta
from seqstudio.core.model import Sequence


@pytest.mark.parametrize("target", [ExportTarget.MAILFLOW, ExportTarget.BPMN, ExportTarget.N8N])
def test_single_file_targets_write_what_the_plan_says(
    tmp_path: Path, fernweh: Sequence, target: ExportTarget
) -> None:
    output = tmp_path / f"out{target.suffix}"
    render = default_render()
    assert plan_export(target, fernweh, FlowMeta(), output, render) == [f"write {output}"]
    progress: list[tuple[int, int, str]] = []
    outcome = apply_export(
        target, fernweh, FlowMeta(), output, render=render, on_progress=lambda *a: progress.append(a)
    )
    assert str(output) in outcome.summary and progress[-1][:2] == (1, 1)
    text = output.read_text()
    if target is ExportTarget.MAILFLOW:
        assert read_flow_file(output).sequence == fernweh
    elif target is ExportTarget.BPMN:
        assert etree.fromstring(text.encode()).tag.endswith("definitions")
    else:
        assert {node["type"] for node in json.loads(text)["nodes"]} >= {"n8n-nodes-base.wait"}
    assert plan_export(target, fernweh, FlowMeta(), output, render) == [f"replace {output}"]


def test_bundle_plan_lists_every_file_it_writes(tmp_path: Path, fernweh: Sequence) -> None:
    archive = tmp_path / "bundle.zip"
    render = default_render()
    plan = plan_export(ExportTarget.BUNDLE, fernweh, FlowMeta(), archive, render)
    apply_export(ExportTarget.BUNDLE, fernweh, FlowMeta(), archive, render=render)
    names = zipfile.ZipFile(archive).namelist()
    assert len(plan) == len(names) == 13
    assert all(any(name in line for line in plan) for name in names)


def test_klaviyo_plan_sends_nothing_and_describes_each_request(fernweh: Sequence) -> None:
    plan = plan_export(ExportTarget.KLAVIYO, fernweh, FlowMeta(), None, default_render())
    assert plan[0].startswith("GET") or plan[0].startswith("POST")
    assert sum("template" in line for line in plan) >= 6
    assert any(line.startswith("POST") and "/api/flows" in line for line in plan)


def test_file_targets_need_a_path(fernweh: Sequence) -> None:
    with pytest.raises(StudioError, match="Choose where"):
        plan_export(ExportTarget.BPMN, fernweh, FlowMeta(), None, default_render())
