"""The portable flow file (`format: mailflow/v1`): one YAML (or JSON) file per sequence.

Reading is all or nothing: the file is parsed, checked against the JSON Schema in
resources/schemas/, converted and validated before anything is returned, and every error names the
file, the line and the field.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from seqstudio.core.flowmeta import FlowMeta, document_with_meta, meta_from_document
from seqstudio.core.model import Brand, OfferFacts, Sequence
from seqstudio.core.paths import resource_path
from seqstudio.core.serialize import brand_from_dict, offer_from_dict, sequence_from_dict, sequence_to_dict
from seqstudio.core.validation import brand_problems, offer_problems, sequence_problems
from seqstudio.core.yamldoc import YamlDocument, dump_yaml, parse_field, read_yaml, write_text_atomic

FORMAT = "mailflow/v1"


@dataclass(frozen=True)
class LoadedFlow:
    sequence: Sequence
    fingerprint: str  # pass back to write_flow_file to refuse overwriting outside edits
    meta: FlowMeta = field(
        default_factory=FlowMeta
    )  # identity and x- blocks: pass back to write_flow_file to keep them


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(resource_path("schemas", name).read_text(encoding="utf-8"))
    return schema


def check_against_schema(document: YamlDocument, schema_name: str, what: str) -> None:
    """Raise FlowFileError for the most relevant schema violation, with its line and field."""
    if not isinstance(document.data, dict):
        raise document.error(f"is not a {what}: expected a mapping of fields at the top")
    validator = jsonschema.Draft202012Validator(load_schema(schema_name))
    errors = sorted(validator.iter_errors(document.data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    assert error is not None
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    raise document.error(_readable(error) + more, list(error.absolute_path))


def _readable(error: jsonschema.ValidationError) -> str:
    if error.validator == "const" and list(error.absolute_path) == ["format"]:
        return f"must be '{error.validator_value}'; is this a {FORMAT} flow file?"
    if error.validator == "pattern" and "P(?:" in str(error.validator_value):
        return f"{error.instance!r} is not an ISO-8601 duration such as PT1H, P3D or P1DT12H"
    if error.validator in ("minItems", "maxItems") and list(error.absolute_path) == ["steps"]:
        return f"has {len(list(error.instance))} steps; a sequence has exactly 6"  # type: ignore[arg-type]
    return str(error.message)


def raise_first_problem(
    document: YamlDocument, problems: list[tuple[str, str]], prefix: list[str | int]
) -> None:
    if problems:
        field, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise document.error(message + more, prefix + parse_field(field))


def read_flow_file(path: Path) -> LoadedFlow:
    """Read, check and convert a flow file; raise FlowFileError naming file, line and field."""
    document = read_yaml(path)
    check_against_schema(document, "mailflow-v1.schema.json", f"{FORMAT} flow file")
    try:
        sequence = sequence_from_dict(document.data)
    except ValueError as error:  # e.g. an impossible date that matched the pattern
        raise document.error(f"has a value that cannot be read: {error}") from None
    raise_first_problem(document, sequence_problems(sequence), [])
    return LoadedFlow(sequence, document.fingerprint, meta_from_document(document.data))


def flow_document(sequence: Sequence, meta: FlowMeta | None = None) -> dict[str, Any]:
    """The document written for `sequence`: identity (version, content hash), kept blocks of `meta`."""
    return document_with_meta({"format": FORMAT, **sequence_to_dict(sequence)}, _meta(sequence, meta))


def _meta(sequence: Sequence, meta: FlowMeta | None) -> FlowMeta:
    return (meta or FlowMeta()).for_write(sequence)


def flow_text(path: Path, sequence: Sequence, meta: FlowMeta | None = None) -> str:
    """YAML, or JSON when `path` ends in .json."""
    document = flow_document(sequence, meta)
    if path.suffix.lower() == ".json":
        return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    header = f"# {sequence.name}: a {sequence.kind.label.lower()} sequence, {FORMAT}\n"
    return header + dump_yaml(document)


def write_flow_file(
    path: Path, sequence: Sequence, expected_fingerprint: str | None = None, meta: FlowMeta | None = None
) -> str:
    """Write atomically (YAML, or JSON for a .json path), keeping `meta`'s identity and blocks;
    with `expected_fingerprint`, refuse to overwrite a file changed on disk."""
    return write_text_atomic(path, flow_text(path, sequence, meta), expected_fingerprint)


def read_brand_file(path: Path) -> tuple[Brand, OfferFacts]:
    """A brand file holds the brand's fields and, optionally, an `offer:` block of offer facts."""
    document = read_yaml(path)
    if not isinstance(document.data, dict):
        raise document.error("is not a brand file: expected a mapping with at least `name`")
    data = dict(document.data)
    offer_data = data.pop("offer", None) or {}
    flow_schema = load_schema("mailflow-v1.schema.json")
    for part, schema, value in (
        ("brand", flow_schema["properties"]["brand"], data),
        ("offer", flow_schema["properties"]["offer"], offer_data),
    ):
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(value))
        if error is not None:
            prefix: list[str | int] = [] if part == "brand" else ["offer"]
            raise document.error(_readable(error), prefix + list(error.absolute_path))
    try:
        brand, offer = brand_from_dict(data), offer_from_dict(offer_data)
    except ValueError as error:
        raise document.error(f"has a value that cannot be read: {error}") from None
    raise_first_problem(document, brand_problems(brand, prefix=""), [])
    raise_first_problem(document, offer_problems(offer, prefix="offer"), [])
    return brand, offer
