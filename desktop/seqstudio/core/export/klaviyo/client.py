"""Klaviyo's HTTP API: headers, client-side rate limits, 429 Retry-After, and a clear line between
a request that failed and one whose outcome is unknown (which the caller must look up, not resend).

Time is injected (`Clock`), so the limiter can be exercised without waiting; by default it is the
real monotonic clock and `time.sleep`.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from seqstudio.core.cancel import CancelToken
from seqstudio.core.errors import StudioError
from seqstudio.core.export.klaviyo import REVISION

BASE_URL = "https://a.klaviyo.com"
TIMEOUT = 30.0
MAX_429_RETRIES = 5

# Published limits (x-klaviyo-ratelimit in the OpenAPI document): (method, path) -> burst/s, steady/min, daily.
LIMITS: dict[tuple[str, str], tuple[int, int, int | None]] = {
    ("POST", "/api/flows"): (1, 15, 100),
    ("GET", "/api/flows"): (3, 60, None),
    ("GET", "/api/flows/{id}"): (3, 60, None),
    ("GET", "/api/metrics"): (10, 150, None),
    ("GET", "/api/lists"): (75, 750, None),
    ("GET", "/api/templates"): (75, 750, None),
    ("POST", "/api/templates"): (75, 750, None),
    ("PATCH", "/api/templates/{id}"): (75, 750, None),
    ("GET", "/api/tags"): (3, 60, None),
    ("POST", "/api/tags"): (3, 60, None),
    ("GET", "/api/tags/{id}/relationships/flows"): (3, 60, None),
    ("POST", "/api/tags/{id}/relationships/flows"): (3, 60, None),
}
DEFAULT_LIMIT = (1, 15, None)  # the strictest published tier, for anything not listed


def route(path: str) -> str:
    """/api/templates/XyZ -> /api/templates/{id} (ids are the segment after a collection)."""
    return re.sub(r"^(/api/[a-z-]+)/[^/]+", r"\1/{id}", path.split("?")[0])


class KlaviyoError(StudioError):
    """Klaviyo answered with an error; `status` is the HTTP status."""

    def __init__(self, user_message: str, detail: str = "", status: int = 0) -> None:
        super().__init__(user_message, detail)
        self.status = status


class UnknownOutcomeError(KlaviyoError):
    """The request was sent but no answer came back: it may or may not have taken effect."""


@dataclass
class Clock:
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass
class RateLimiter:
    """Sliding windows per route: at most `burst` a second, `steady` a minute, `daily` a day."""

    clock: Clock = field(default_factory=Clock)
    _sent: dict[tuple[str, str], deque[float]] = field(default_factory=dict)

    def wait_turn(self, method: str, path: str, cancel: CancelToken | None = None) -> None:
        key = (method, route(path))
        burst, steady, daily = LIMITS.get(key, DEFAULT_LIMIT)
        sent = self._sent.setdefault(key, deque())
        while sent and sent[0] <= self.clock.monotonic() - 86400.0:
            sent.popleft()  # only the last day counts, for the daily limit too
        if daily is not None and len(sent) >= daily:
            raise KlaviyoError(
                f"Klaviyo allows {daily} {method} {key[1]} requests a day; this export would pass that. "
                "Try again tomorrow."
            )
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            now = self.clock.monotonic()
            last_second = [t for t in sent if t > now - 1.0]
            last_minute = [t for t in sent if t > now - 60.0]
            if len(last_second) < burst and len(last_minute) < steady:
                sent.append(now)
                return
            waits = []
            if len(last_second) >= burst:
                waits.append(last_second[0] + 1.0)
            if len(last_minute) >= steady:
                waits.append(last_minute[0] + 60.0)
            wait_until = max(waits)
            self.clock.sleep(max(0.0, wait_until - now))


@dataclass
class Response:
    status: int
    body: dict[str, Any]


class KlaviyoClient:
    """One account's API. The key is sent in a header and kept nowhere else; never log it."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = BASE_URL,
        limiter: RateLimiter | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        self._key = api_key
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter or RateLimiter()
        self.cancel = cancel

    def __repr__(self) -> str:
        return f"KlaviyoClient({self.base_url!r})"

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, params: dict[str, str] | None = None
    ) -> Response:
        """Send one request; wait out 429s as Retry-After says. Raises KlaviyoError for an error
        answer, UnknownOutcomeError when a write may have happened without an answer."""
        url = self.base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = json.dumps(body).encode("utf-8") if body is not None else None
        for _ in range(MAX_429_RETRIES + 1):
            self.limiter.wait_turn(method, path, self.cancel)
            request = urllib.request.Request(url, data=data, method=method, headers=self._headers(data))
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                    raw = answer.read()
                    return Response(answer.status, json.loads(raw) if raw else {})
            except urllib.error.HTTPError as error:
                raw = error.read()
                if error.code == 429:
                    self.limiter.clock.sleep(_retry_after(error.headers.get("Retry-After")))
                    continue
                if error.code >= 500 and method != "GET":
                    raise UnknownOutcomeError(
                        f"Klaviyo answered {error.code} to {method} {route(path)}; it may have been applied.",
                        raw.decode("utf-8", "replace")[:500],
                        error.code,
                    ) from None
                raise _error(method, path, error.code, raw) from None
            except (TimeoutError, ConnectionError, urllib.error.URLError, json.JSONDecodeError) as error:
                if method == "GET":
                    raise KlaviyoError(f"Could not reach Klaviyo ({error}); check the connection.") from None
                raise UnknownOutcomeError(
                    f"No answer from Klaviyo to {method} {route(path)} ({error}); it may have been applied.",
                    repr(error),
                ) from None
        raise KlaviyoError(
            f"Klaviyo kept answering 429 (too many requests) to {method} {route(path)}; try later."
        )

    def _headers(self, data: bytes | None) -> dict[str, str]:
        headers = {
            "Authorization": f"Klaviyo-API-Key {self._key}",
            "revision": REVISION,
            "Accept": "application/vnd.api+json",
            "User-Agent": "seqstudio",
        }
        if data is not None:
            headers["Content-Type"] = "application/vnd.api+json"
        return headers

    def get_all(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Every item of a collection, following `links.next` (same host only)."""
        items: list[dict[str, Any]] = []
        answer = self.request("GET", path, params=params)
        for _ in range(100):
            items.extend(answer.body.get("data") or [])
            following = (answer.body.get("links") or {}).get("next")
            if not following:
                return items
            parsed = urllib.parse.urlsplit(following)
            query = dict(urllib.parse.parse_qsl(parsed.query))
            answer = self.request("GET", parsed.path, params=query)
        return items


def _retry_after(value: str | None) -> float:
    try:
        return min(max(float(value or 1), 0.0), 120.0)
    except ValueError:
        return 1.0


def _error(method: str, path: str, status: int, raw: bytes) -> KlaviyoError:
    try:
        details = "; ".join(e.get("detail", "") for e in json.loads(raw).get("errors", []))
    except (ValueError, AttributeError):
        details = raw.decode("utf-8", "replace")[:300]
    if status in (401, 403):
        return KlaviyoError(
            f"Klaviyo refused the API key ({status}): check that it is a private key with the flows:write, "
            "templates:write, tags:write, lists:read and metrics:read scopes.",
            details,
            status,
        )
    return KlaviyoError(f"Klaviyo rejected {method} {route(path)} ({status}): {details}", details, status)
