"""A local stand-in for Klaviyo's API on 127.0.0.1:0: a real HTTP server with in-memory lists,
metrics, templates, flows and tags, that validates every request body against the OpenAPI
document and can be told to answer 429, fail, or apply a create and drop the connection."""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from seqstudio.core.export.klaviyo.client import route
from tests.support.openapi import require_spec

Validator = Callable[[str, str, Any], list[str]]


@dataclass
class Fault:
    method: str
    route: str
    kind: str  # "429" | "fail" (500, nothing applied) | "drop" (applied, then no answer)
    times: int = 1
    retry_after: str = "7"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class KlaviyoState:
    lists: dict[str, str] = field(default_factory=dict)  # id -> name
    metrics: dict[str, str] = field(default_factory=dict)
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    tag_flows: dict[str, set[str]] = field(default_factory=dict)


class KlaviyoStub(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, validator: Validator) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.validator = validator
        self.state = KlaviyoState()
        self.seen: list[Seen] = []
        self.invalid: list[str] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self._ids = itertools.count(1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):04d}"

    def requests(self, method: str, path_route: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method and route(s.path) == path_route]

    def take_fault(self, method: str, path_route: str) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.route == path_route and fault.times > 0:
                fault.times -= 1
                return fault
        return None


def _name_filter(query: dict[str, list[str]]) -> str | None:
    text = (query.get("filter") or [""])[0]
    match = re.fullmatch(r'equals\(name,"((?:[^"\\]|\\.)*)"\)', text)
    return re.sub(r"\\(.)", r"\1", match.group(1)) if match else None


class _Handler(BaseHTTPRequestHandler):
    server: KlaviyoStub

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        path_route = route(parts.path)
        query = parse_qs(parts.query)
        server = self.server
        with server.lock:
            server.seen.append(
                Seen(method, parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            fault = server.take_fault(method, path_route)
            if fault is not None and fault.kind == "429":
                return self._send(
                    429, {"errors": [{"detail": "throttled"}]}, {"Retry-After": fault.retry_after}
                )
            if fault is not None and fault.kind == "fail":
                return self._send(500, {"errors": [{"detail": "internal error"}]})
            if body is not None:
                problems = server.validator(method, path_route, body)
                if problems:
                    server.invalid.extend(problems)
                    return self._send(400, {"errors": [{"detail": p} for p in problems[:3]]})
            status, answer = _apply(server, method, parts.path, path_route, query, body)
        if fault is not None and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        return self._send(status, answer)

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/vnd.api+json")
        self.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)


def _resource(kind: str, rid: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "id": rid, "attributes": attributes, "links": {"self": f"/api/{kind}s/{rid}"}}


def _apply(
    server: KlaviyoStub, method: str, path: str, path_route: str, query: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    state, name = server.state, _name_filter(query)
    rid = path.split("/")[3] if path.count("/") >= 3 else ""
    match method, path_route:
        case "GET", "/api/lists":
            return 200, {
                "data": [_resource("list", i, {"name": n}) for i, n in state.lists.items() if n == name]
            }
        case "GET", "/api/metrics":  # two a page, to make the client follow links.next
            items = sorted(state.metrics.items())
            start = int((query.get("page[cursor]") or ["0"])[0])
            page = [_resource("metric", i, {"name": n}) for i, n in items[start : start + 2]]
            following = (
                f"{server.url}/api/metrics?page%5Bcursor%5D={start + 2}" if start + 2 < len(items) else None
            )
            return 200, {"data": page, "links": {"next": following}}
        case "GET", "/api/templates":
            found = [_resource("template", i, t) for i, t in state.templates.items() if t["name"] == name]
            return 200, {"data": found}
        case "POST", "/api/templates":
            template_id = server.new_id("T")
            state.templates[template_id] = dict(body["data"]["attributes"])
            return 201, {"data": _resource("template", template_id, state.templates[template_id])}
        case "PATCH", "/api/templates/{id}":
            if rid not in state.templates:
                return 404, {"errors": [{"detail": "not found"}]}
            state.templates[rid].update(body["data"]["attributes"])
            return 200, {"data": _resource("template", rid, state.templates[rid])}
        case "GET", "/api/flows":
            found = [
                _resource("flow", i, {"name": f["name"]}) for i, f in state.flows.items() if f["name"] == name
            ]
            return 200, {"data": found}
        case "POST", "/api/flows":
            flow_id = server.new_id("F")
            attributes = body["data"]["attributes"]
            state.flows[flow_id] = {
                "name": attributes["name"],
                "definition": _stored(attributes["definition"]),
            }
            return 201, {"data": _resource("flow", flow_id, {"name": attributes["name"], "status": "draft"})}
        case "GET", "/api/flows/{id}":
            if rid not in state.flows:
                return 404, {"errors": [{"detail": "not found"}]}
            flow = state.flows[rid]
            attributes = {"name": flow["name"], "status": "draft"}
            if "definition" in (query.get("additional-fields[flow]") or [""])[0]:
                attributes["definition"] = flow["definition"]
            return 200, {"data": _resource("flow", rid, attributes)}
        case "GET", "/api/tags":
            return 200, {
                "data": [_resource("tag", i, {"name": n}) for i, n in state.tags.items() if n == name]
            }
        case "POST", "/api/tags":
            tag_id = server.new_id("G")
            state.tags[tag_id] = body["data"]["attributes"]["name"]
            return 201, {"data": _resource("tag", tag_id, {"name": state.tags[tag_id]})}
        case "GET", "/api/tags/{id}/relationships/flows":
            return 200, {"data": [{"type": "flow", "id": f} for f in sorted(state.tag_flows.get(rid, set()))]}
        case "POST", "/api/tags/{id}/relationships/flows":
            state.tag_flows.setdefault(rid, set()).update(item["id"] for item in body["data"])
            return 204, None
    return 404, {"errors": [{"detail": f"no route {method} {path}"}]}


def _stored(definition: dict[str, Any]) -> dict[str, Any]:
    """What Klaviyo keeps: real ids in place of temporary ones."""
    stored = json.loads(json.dumps(definition))
    for number, action in enumerate(stored["actions"], 1):
        action["id"] = str(1000 + number)
        action.pop("temporary_id", None)
    return stored


@contextmanager
def klaviyo_stub(validator: Validator) -> Iterator[KlaviyoStub]:
    require_spec()
    server = KlaviyoStub(validator)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
