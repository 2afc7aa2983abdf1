"""Flow files keep identity and target blocks through read -> write, as YAML and as JSON."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml

from seqstudio.core.errors import StudioError
from seqstudio.core.export.bundle import write_bundle
from seqstudio.core.export.rendering import default_render
from seqstudio.core.flowfile import flow_document, load_schema, read_flow_file, write_flow_file
from seqstudio.core.flowmeta import content_hash

X_BLOCKS = """
x-klaviyo:
  flow_id: XyZ123
  templates:
    st_fernweh_welcome_1: TmPl1
  exported_hash: sha256:abc
x-n8n:
  workflow_id: '42'
"""


@pytest.fixture
def with_blocks(tmp_path: Path, example_path: Path) -> Path:
    text = example_path.read_text(encoding="utf-8") + X_BLOCKS
    text = text.replace(
        "  status: approved\n  email:\n    subject: Your 10% code",
        "  status: approved\n  x-klaviyo:\n    action_id: act-1\n"
        "  variants:\n  - id: b\n    weight: 50\n    subject: Ten percent, on us\n"
        "  email:\n    subject: Your 10% code",
        1,
    )
    path = tmp_path / "flow.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_x_blocks_and_variants_survive_read_then_write(tmp_path: Path, with_blocks: Path) -> None:
    loaded = read_flow_file(with_blocks)
    assert loaded.meta.block("klaviyo")["flow_id"] == "XyZ123"
    out = tmp_path / "out.yaml"
    write_flow_file(out, loaded.sequence, meta=loaded.meta)
    data = yaml.safe_load(out.read_text())
    original = yaml.safe_load(with_blocks.read_text())
    for key in ("x-klaviyo", "x-n8n"):
        assert data[key] == original[key]
    assert data["steps"][0]["x-klaviyo"] == {"action_id": "act-1"}
    assert data["steps"][0]["variants"] == [{"id": "b", "weight": 50, "subject": "Ten percent, on us"}]
    again = read_flow_file(out)
    assert again.sequence == loaded.sequence and again.meta == loaded.meta.for_write(loaded.sequence)


def test_version_moves_only_when_the_content_changes(tmp_path: Path, with_blocks: Path) -> None:
    loaded = read_flow_file(with_blocks)
    assert loaded.meta.version == 0, "the shipped example predates identity"
    path = tmp_path / "v.yaml"
    write_flow_file(path, loaded.sequence, meta=loaded.meta)
    first = read_flow_file(path)
    assert first.meta.version == 1 and first.meta.content_hash == content_hash(loaded.sequence)
    write_flow_file(path, first.sequence, meta=first.meta)
    assert read_flow_file(path).meta.version == 1
    edited = replace(first.sequence, name="Fernweh welcome, take two")
    write_flow_file(path, edited, meta=first.meta)
    second = read_flow_file(path).meta
    assert second.version == 2 and second.content_hash != first.meta.content_hash
    assert second.block("klaviyo")["flow_id"] == "XyZ123"


def test_json_flow_files_round_trip(tmp_path: Path, with_blocks: Path) -> None:
    loaded = read_flow_file(with_blocks)
    path = tmp_path / "flow.json"
    write_flow_file(path, loaded.sequence, meta=loaded.meta)
    data = json.loads(path.read_text())
    assert data["format"] == "mailflow/v1" and data["x-n8n"] == {"workflow_id": "42"}
    again = read_flow_file(path)
    assert again.sequence == loaded.sequence
    assert again.meta.blocks == loaded.meta.blocks


def test_documents_with_every_extension_satisfy_the_schema(with_blocks: Path) -> None:
    loaded = read_flow_file(with_blocks)
    meta = loaded.meta.with_step_keys("st_fernweh_welcome_2", {"rendered": {"html": "<p>x</p>", "text": "x"}})
    validator = jsonschema.Draft202012Validator(load_schema("mailflow-v1.schema.json"))
    validator.validate(flow_document(loaded.sequence, meta))
    bad = flow_document(loaded.sequence, meta)
    bad["x-klaviyo"] = "not a block"
    assert not validator.is_valid(bad)


def test_bundle_folder_and_zip(tmp_path: Path, with_blocks: Path) -> None:
    loaded = read_flow_file(with_blocks)
    folder = tmp_path / "bundle"
    written = write_bundle(folder, loaded.sequence, default_render(), loaded.meta)
    assert len(written) == 13
    flow = read_flow_file(folder / "fernweh-welcome.mailflow.yaml")
    assert flow.meta.block("klaviyo")["flow_id"] == "XyZ123"
    rendered = flow.meta.step_blocks["st_fernweh_welcome_1"]["rendered"]
    html = (folder / rendered["html_file"]).read_text()
    assert "<strong>HELLO10</strong>" in html and "{{ first_name" in html, "merge tags kept for the ESP"
    assert (folder / rendered["text_file"]).read_text().startswith("Hi {{ first_name")
    archive_path = tmp_path / "bundle.zip"
    write_bundle(archive_path, loaded.sequence, default_render(), loaded.meta)
    with zipfile.ZipFile(archive_path) as archive:
        names = set(archive.namelist())
    assert names == {Path(p).relative_to(folder).as_posix() for p in written}
    with pytest.raises(StudioError, match="not an empty folder"):
        write_bundle(folder, loaded.sequence, default_render())
