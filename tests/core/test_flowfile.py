from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml

from seqstudio.core.errors import FileChangedOnDiskError, FlowFileError
from seqstudio.core.flowfile import (
    flow_document,
    load_schema,
    read_brand_file,
    read_flow_file,
    write_flow_file,
)
from seqstudio.core.model import Cta, Sequence, StepStatus
from seqstudio.core.paths import shipped_dir


def _line_containing(path: Path, needle: str) -> int:
    return next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in row)


@pytest.fixture
def written(tmp_path: Path, welcome: Sequence) -> Path:
    steps = list(welcome.steps)
    steps[0] = replace(
        steps[0],
        status=StepStatus.APPROVED,
        email=replace(
            steps[0].email,
            subject="Your 10% code is inside",
            preheader="HELLO10 works until 31 January",
            body="Hi {{ first_name | default('there') }},\n\nHere it is: **HELLO10**.\n\n- one\n- two\n",
            cta=Cta("Shop the house blend", "https://fernweh.example/shop"),
        ),
    )
    path = tmp_path / "welcome.yaml"
    write_flow_file(path, replace(welcome, steps=tuple(steps)))
    return path


def test_round_trip_is_lossless(written: Path) -> None:
    sequence = read_flow_file(written).sequence
    again = written.parent / "again.yaml"
    write_flow_file(again, sequence)
    assert read_flow_file(again).sequence == sequence
    assert again.read_text() == written.read_text()


def test_the_file_is_readable_yaml_with_block_bodies(written: Path) -> None:
    text = written.read_text(encoding="utf-8")
    assert text.splitlines()[1] == "format: mailflow/v1"
    assert "body: |" in text
    data = yaml.safe_load(text)
    assert next(step["email"]["cta"]["url"] for step in data["steps"]) == "https://fernweh.example/shop"
    assert len(data["steps"]) == 6
    for key in ("id", "name", "kind", "language", "brand", "trigger", "exit_conditions", "steps"):
        assert key in data


def test_written_documents_satisfy_the_schema(welcome: Sequence) -> None:
    jsonschema.Draft202012Validator(load_schema("mailflow-v1.schema.json")).validate(flow_document(welcome))


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema("mailflow-v1.schema.json"))
    jsonschema.Draft202012Validator.check_schema(load_schema("blueprint-v1.schema.json"))


@pytest.mark.parametrize(
    ("needle", "replacement", "field", "words"),
    [
        ("kind: welcome", "kind: newsletter", "kind", "newsletter"),
        ("delay: P3D", "delay: 3 days", "steps[2].delay", "ISO-8601"),
        (
            "from_email: mara@fernweh.example",
            "from_email: mara-at-fernweh",
            "brand.from_email",
            "email address",
        ),
        (
            "  url: https://fernweh.example/shop",
            "  url: ftp://fernweh.example/shop",
            "steps[0].email.cta.url",
            "https://",
        ),
        ("format: mailflow/v1", "format: mailflow/v9", "format", "mailflow/v1"),
        ("expires: '2027-01-31'", "expires: '2027-02-31'", "", "cannot be read"),
    ],
)
def test_bad_files_name_file_line_and_field(
    written: Path, needle: str, replacement: str, field: str, words: str
) -> None:
    text = written.read_text(encoding="utf-8")
    assert needle in text, needle
    written.write_text(text.replace(needle, replacement, 1), encoding="utf-8")
    with pytest.raises(FlowFileError) as caught:
        read_flow_file(written)
    error = caught.value
    assert error.path == str(written)
    assert error.field == field
    assert words in error.user_message
    if field:
        assert error.line == _line_containing(written, replacement.strip().split(": ")[-1])
        assert f"line {error.line}" in error.user_message


def test_a_missing_step_is_counted(written: Path) -> None:
    data = yaml.safe_load(written.read_text())
    data["steps"] = data["steps"][:5]
    written.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(FlowFileError, match="has 5 steps; a sequence has exactly 6"):
        read_flow_file(written)


def test_yaml_syntax_errors_carry_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: mailflow/v1\nname: [unclosed\nkind: welcome\n")
    with pytest.raises(FlowFileError) as caught:
        read_flow_file(path)
    assert caught.value.line is not None and caught.value.line >= 2
    assert "not valid YAML" in caught.value.user_message


@pytest.mark.parametrize("content", [b"", b"- just\n- a list\n", b"\xff\xfe binary"])
def test_files_that_are_not_flow_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    with pytest.raises(FlowFileError, match=str(path)):
        read_flow_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FlowFileError, match="no such file"):
        read_flow_file(tmp_path / "nope.yaml")


def test_writes_refuse_to_clobber_outside_edits(written: Path) -> None:
    loaded = read_flow_file(written)
    written.write_text(written.read_text().replace("Fernweh welcome", "Edited elsewhere"))
    with pytest.raises(FileChangedOnDiskError, match="changed on disk"):
        write_flow_file(written, loaded.sequence, expected_fingerprint=loaded.fingerprint)
    assert "Edited elsewhere" in written.read_text(), "the outside edit survives"
    fresh = read_flow_file(written)
    write_flow_file(written, fresh.sequence, expected_fingerprint=fresh.fingerprint)


def test_atomic_write_leaves_no_temp_files(written: Path) -> None:
    assert sorted(p.name for p in written.parent.iterdir()) == ["welcome.yaml"]


def test_example_files_load() -> None:
    examples = sorted((shipped_dir("sequences") / "examples").glob("*.yaml"))
    flows = [p for p in examples if not p.name.startswith("brand")]
    assert flows, "ship at least one example sequence"
    for path in flows:
        assert read_flow_file(path).sequence.steps
    for path in examples:
        if path.name.startswith("brand"):
            brand, offer = read_brand_file(path)
            assert brand.name and offer.discount_codes


def test_brand_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "brand.yaml"
    path.write_text("name: Acme\nfrom_email: nope\noffer:\n  discount_codes:\n    - code: SAVE 10\n")
    with pytest.raises(FlowFileError) as caught:
        read_brand_file(path)
    assert (caught.value.line, caught.value.field) == (2, "from_email")
    path.write_text("name: Acme\noffer:\n  discount_codes:\n    - code: SAVE 10\n")
    with pytest.raises(FlowFileError) as caught:
        read_brand_file(path)
    assert (caught.value.line, caught.value.field) == (4, "offer.discount_codes[0].code")
