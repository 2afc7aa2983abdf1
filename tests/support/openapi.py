"""Validating request bodies against Klaviyo's OpenAPI document in ../shared/specs/klaviyo/.

OpenAPI 3.0 is not quite JSON Schema, so the document is rewritten once before use:
- `nullable: true` becomes a type list with "null" (or an anyOf with null beside a $ref);
- `oneOf: [{type: integer}, {type: number}]` becomes `type: number`: an integer matches both
  branches and a strict oneOf would reject every whole number (see shared/specs/PROVENANCE.md);
- objects with `properties` and no `additionalProperties` are closed, because Klaviyo rejects
  unknown fields; this makes a misspelt field fail here instead of in production.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import jsonschema

from tests.support.shared import shared_path


def _rewrite(node: Any) -> Any:
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {
        k: _rewrite(v) for k, v in node.items() if k not in ("example", "examples", "writeOnly", "readOnly")
    }
    if node.get("oneOf") == [{"type": "integer"}, {"type": "number"}]:
        node.pop("oneOf")
        node["type"] = "number"
    if node.pop("nullable", False):
        if "$ref" in node:
            node = {"anyOf": [{"$ref": node.pop("$ref")}, {"type": "null"}], **node}
        elif "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    if node.get("type") in ("object", ["object", "null"]) and "properties" in node:
        node.setdefault("additionalProperties", False)
    return node


@functools.cache
def _document() -> dict[str, Any]:
    raw = json.loads(shared_path("specs", "klaviyo", "stable.json").read_text(encoding="utf-8"))
    return {"components": _rewrite(raw["components"]), "paths": raw["paths"]}


def require_spec() -> None:
    """Load the document now, in the test's own thread: where ../shared is absent this skips (or,
    under CI=true, fails) the test with the reason, instead of a server thread dropping requests."""
    _document()


def _operation(method: str, route: str) -> dict[str, Any]:
    return dict(_document()["paths"][route][method.lower()])


def request_schema_ref(method: str, route: str) -> str:
    body = _operation(method, route)["requestBody"]["content"]["application/vnd.api+json"]["schema"]
    return str(body["$ref"])


def published_limits(method: str, route: str) -> tuple[int, int, int | None]:
    limits = _operation(method, route)["x-klaviyo-ratelimit"]
    per = {key: int(re.match(r"\d+", value).group()) for key, value in limits.items()}  # type: ignore[union-attr]
    return per["burst"], per["steady"], per.get("daily")


def validation_errors(method: str, route: str, body: Any) -> list[str]:
    """Every way `body` breaks the request schema of `method route` ([] when valid)."""
    schema = {"$ref": request_schema_ref(method, route), "components": _document()["components"]}
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
