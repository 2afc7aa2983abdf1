"""A small OpenAI-compatible chat-completions server on 127.0.0.1:0, run in a thread for tests and
benchmarks, driven through the real `openai` client.

By default it answers every request with a valid JSON object built from the request's JSON Schema
(response_format json_schema, or the schema quoted in the prompt between <json-schema> tags). Tests
script other behaviour with `script(*replies, when=...)`: the first rule whose predicate matches a
request and still has replies left answers it. Every request is recorded (`requests`) and the peak
number of requests in flight is kept (`max_in_flight`). Hanging replies end when the server stops.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SCHEMA_IN_PROMPT = re.compile(r"<json-schema>\s*(\{.*?\})\s*</json-schema>", re.S)


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `content` is the assistant text (a dict is sent as JSON)."""

    status: int = 200
    content: str | dict[str, Any] | None = None
    refusal: str | None = None
    finish_reason: str = "stop"
    headers: tuple[tuple[str, str], ...] = ()
    error_message: str = ""
    latency: float | None = None  # overrides the server's latency for this reply
    hang: bool = False  # accept the request and never answer (until the server stops)
    cut_after_chars: int | None = None  # streams: drop the connection after this much content
    raw_body: bytes | None = None  # send these bytes as the HTTP body, as is

    @classmethod
    def ok(cls, content: str | dict[str, Any]) -> Reply:
        return cls(content=content)

    @classmethod
    def error(cls, status: int, message: str = "", retry_after: str | None = None) -> Reply:
        headers = (("Retry-After", retry_after),) if retry_after is not None else ()
        return cls(status=status, error_message=message or f"scripted error {status}", headers=headers)

    @classmethod
    def hanging(cls) -> Reply:
        return cls(hang=True)

    @classmethod
    def refused(cls, text: str) -> Reply:
        return cls(refusal=text)

    @classmethod
    def truncated(cls, content: str | dict[str, Any], cut_after_chars: int) -> Reply:
        return cls(content=content, cut_after_chars=cut_after_chars)


@dataclass
class RecordedRequest:
    body: dict[str, Any]
    had_authorization: bool

    @property
    def prompt(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))

    @property
    def response_format(self) -> str:
        return str((self.body.get("response_format") or {}).get("type", "none"))

    @property
    def schema(self) -> dict[str, Any] | None:
        response_format = self.body.get("response_format") or {}
        if response_format.get("type") == "json_schema":
            schema: dict[str, Any] = response_format["json_schema"]["schema"]
            return schema
        found = _SCHEMA_IN_PROMPT.search(self.prompt)
        return json.loads(found.group(1)) if found else None


@dataclass
class _Rule:
    when: Callable[[RecordedRequest], bool]
    replies: deque[Reply] = field(default_factory=deque)


def instance_of(schema: dict[str, Any], name: str = "value", index: int = 1) -> Any:
    """A plausible valid instance of a JSON Schema: six items per array, positions numbered 1..6,
    links empty, and long text for fields named body or text."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: instance_of(sub, key, index) for key, sub in props.items()}
    if kind == "array":
        count = max(6, int(schema.get("minItems", 0)))
        return [instance_of(schema.get("items", {}), name, i + 1) for i in range(count)]
    if kind in ("integer", "number"):
        return index
    if kind == "boolean":
        return True
    if name.endswith("url"):
        return ""
    if "body" in name or name == "text":
        return " ".join(
            f"Sentence {n} of a sample {name.replace('_', ' ')} from the local test server."
            for n in range(1, 6)
        )
    text = f"Sample {name.replace('_', ' ')} {index} from the local test server"
    return text[: int(schema.get("maxLength", len(text)))]


class OpenAICompatibleServer:
    """Use as a context manager; `base_url` is what an OpenAI client takes."""

    def __init__(self, *, latency: float = 0.0, schema_support: bool = True, chunk_chars: int = 24) -> None:
        self.latency = latency
        self.schema_support = schema_support
        self.chunk_chars = chunk_chars
        self.requests: list[RecordedRequest] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = False  # server_close() joins every handler thread
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="openai-test-server"
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def script(self, *replies: Reply, when: Callable[[RecordedRequest], bool] | None = None) -> None:
        """Answer matching requests with these replies, in order; then fall back to later rules."""
        self._rules.append(_Rule(when or (lambda _request: True), deque(replies)))

    def start(self) -> OpenAICompatibleServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> OpenAICompatibleServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _next_reply(self, request: RecordedRequest) -> Reply | None:
        with self._lock:
            for rule in self._rules:
                if rule.replies and rule.when(request):
                    return rule.replies.popleft()
        return None

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                    return
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                request = RecordedRequest(body, bool(self.headers.get("Authorization")))
                with server._lock:
                    server.requests.append(request)
                server._enter()
                try:
                    self._answer(request)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout or cancel): nothing left to say
                finally:
                    server._leave()

            def _answer(self, request: RecordedRequest) -> None:
                reply = server._next_reply(request) or Reply()
                if reply.hang:
                    server._stopping.wait(60)
                    return
                delay = server.latency if reply.latency is None else reply.latency
                if delay and server._stopping.wait(delay):
                    return
                if not server.schema_support and request.response_format == "json_schema":
                    reply = Reply.error(400, "response_format of type json_schema is not supported")
                if reply.status != 200:
                    error = {"error": {"message": reply.error_message, "type": "scripted", "code": None}}
                    self._send_json(reply.status, error, reply.headers)
                    return
                if reply.raw_body is not None:
                    self._send_bytes(200, reply.raw_body, "application/json", reply.headers)
                    return
                content = reply.content
                if content is None and reply.refusal is None:
                    schema = request.schema
                    content = instance_of(schema) if schema else "Hello from the local test server."
                text = json.dumps(content) if isinstance(content, dict) else content
                if request.body.get("stream"):
                    self._stream(request, reply, text)
                else:
                    self._send_json(200, _completion(request, reply, text), reply.headers)

            def _stream(self, request: RecordedRequest, reply: Reply, text: str | None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time())}
                base["model"] = request.body.get("model", "test-model")

                def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> None:
                    choice = {"index": 0, "delta": delta, "finish_reason": finish}
                    data = {**base, "choices": [choice] if delta or finish else [], **extra}
                    self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                    self.wfile.flush()

                event({"role": "assistant", "content": ""})
                sent = 0
                if reply.refusal is not None:
                    event({"refusal": reply.refusal})
                for start in range(0, len(text or ""), server.chunk_chars):
                    piece = (text or "")[start : start + server.chunk_chars]
                    if reply.cut_after_chars is not None and sent + len(piece) > reply.cut_after_chars:
                        return  # the connection closes mid-answer: no finish_reason, no [DONE]
                    event({"content": piece})
                    sent += len(piece)
                event({}, reply.finish_reason)
                if (request.body.get("stream_options") or {}).get("include_usage"):
                    event({}, None, usage=_usage(request, text or reply.refusal or ""))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _send_json(
                self, status: int, payload: dict[str, Any], headers: tuple[tuple[str, str], ...] = ()
            ) -> None:
                self._send_bytes(status, json.dumps(payload).encode(), "application/json", headers)

            def _send_bytes(
                self, status: int, data: bytes, kind: str, headers: tuple[tuple[str, str], ...] = ()
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _usage(request: RecordedRequest, text: str) -> dict[str, int]:
    prompt_tokens = max(1, len(request.prompt) // 4)
    completion_tokens = max(1, len(text) // 4)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _completion(request: RecordedRequest, reply: Reply, text: str | None) -> dict[str, Any]:
    message = {"role": "assistant", "content": text if reply.refusal is None else None}
    if reply.refusal is not None:
        message["refusal"] = reply.refusal
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.body.get("model", "test-model"),
        "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
        "usage": _usage(request, text or reply.refusal or ""),
    }
