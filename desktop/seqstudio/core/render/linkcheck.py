"""Whether the links and images of an email still work, asked of the web: each distinct http(s)
address opened once, redirects followed and reported, a dead one reported as an error.

It is opt-in (`seqstudio check --links`, Check links in the preview's checks): it sends a request
to every address in the email, which a user should choose to do. Never opened:
* unsubscribe links: one-click unsubscribe acts on a request, so opening the link could
  unsubscribe the sample contact (RFC 8058 asks for POST, but many links act on any request);
* addresses with merge tags ({{ … }}, *|…|*): the email platform fills them per contact;
* addresses on names reserved for examples (example.com, .test, .invalid): the offline
  checks already report them (link-invalid);
* other schemes (mailto:, tel:, cid:, data:).

A server is asked with HEAD first, and with GET when HEAD fails, as many servers answer HEAD
wrongly; GET reads no body. Redirects are followed here, not by urllib, so each hop is counted.
"""

from __future__ import annotations

import http.client
import queue
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from seqstudio.core.cancel import CancelToken, ProgressFn, no_progress
from seqstudio.core.render.addresses import ESP_TAG, is_placeholder, names_unsubscribe
from seqstudio.core.render.findings import Check, Level, describe, snippet
from seqstudio.core.render.messages import message

MAX_REDIRECTS = 10
USER_AGENT = "Mozilla/5.0 (compatible; SequenceStudio-LinkCheck/1.0)"
# Answers that mean "not for robots" more often than "gone": worth a look, not an error.
_REFUSED = {401, 403, 429, 999}  # 999: LinkedIn's answer to anything automated


@dataclass(frozen=True)
class LinkTarget:
    """An address in an email: `kind` is "link" (an <a href>) or "image" (an <img src>)."""

    url: str
    kind: str
    where: str
    unsubscribe: bool = False


@dataclass(frozen=True)
class LinkStatus:
    """What opening `url` found: the final status (None when nothing answered) at `final_url`
    after `hops` redirects, and `problem`, a reason in words when it did not end in an answer."""

    url: str
    status: int | None
    final_url: str
    hops: int = 0
    content_type: str = ""
    problem: str = ""


def link_targets(html: str) -> list[LinkTarget]:
    """Every <a href> and <img src> of `html`, in document order."""
    tree = LexborHTMLParser(html)
    targets: list[LinkTarget] = []
    for node in tree.css("a[href], img[src]"):
        if node.tag == "a":
            url = (node.attributes.get("href") or "").strip()
            unsubscribe = names_unsubscribe(url) or names_unsubscribe(node.text())
            targets.append(LinkTarget(url, "link", describe(node), unsubscribe))
        else:
            targets.append(LinkTarget((node.attributes.get("src") or "").strip(), "image", describe(node)))
    return targets


def to_open(target: LinkTarget) -> bool:
    """Whether the checker opens `target` (see the module docstring for what it never opens)."""
    return (
        _is_web(target.url)
        and not target.unsubscribe
        and not ESP_TAG.search(target.url)
        and not is_placeholder(target.url)
    )


class LinkChecker:
    """Opens addresses, several at a time. Every request has `timeout` seconds; a whole check
    of N addresses takes at most about N / workers × timeout × hops."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        workers: int = 8,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        self.timeout = timeout
        self.workers = workers
        # Redirects are followed in `_open` (counted, loops caught); urllib must hand back the 3xx.
        self._opener = opener or urllib.request.build_opener(_NoRedirect())

    def statuses(
        self,
        urls: Iterable[str],
        *,
        cancel: CancelToken | None = None,
        on_progress: ProgressFn = no_progress,
    ) -> dict[str, LinkStatus]:
        """The status of each distinct address. Raises CancelledError when `cancel` fires; the
        requests under way then end by their timeout, in daemon threads nobody waits for."""
        distinct = list(dict.fromkeys(urls))
        results: dict[str, LinkStatus] = {}
        if not distinct:
            return results
        todo: queue.SimpleQueue[str] = queue.SimpleQueue()
        for url in distinct:
            todo.put(url)
        answers: queue.SimpleQueue[LinkStatus] = queue.SimpleQueue()
        stop = threading.Event()

        def work() -> None:
            while not stop.is_set():
                try:
                    url = todo.get_nowait()
                except queue.Empty:
                    return
                answers.put(self.status(url))

        # Daemon threads, not a pool: a cancelled check or Ctrl-C must not wait out a slow server.
        for _ in range(min(self.workers, len(distinct))):
            threading.Thread(target=work, name="linkcheck", daemon=True).start()
        on_progress(0, len(distinct), "Opening links")
        try:
            while len(results) < len(distinct):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                try:
                    status = answers.get(timeout=0.1)
                except queue.Empty:
                    continue
                results[status.url] = status
                on_progress(len(results), len(distinct), status.url)
        finally:
            stop.set()
        return results

    def status(self, url: str) -> LinkStatus:
        """Open one address, following up to MAX_REDIRECTS redirects. Never raises."""
        seen = {url}
        current = url
        for hops in range(MAX_REDIRECTS + 1):
            answer = self._ask(current, "HEAD")
            if isinstance(answer, str) or answer[0] >= 400:
                answer = self._ask(current, "GET")
            if isinstance(answer, str):
                return LinkStatus(url, None, current, hops, problem=answer)
            code, location, content_type = answer
            if not (300 <= code < 400 and location):
                return LinkStatus(url, code, current, hops, content_type)
            current = urljoin(current, location)
            if not _is_web(current):
                return LinkStatus(url, None, current, hops + 1, problem=message("link-check.not-web"))
            if current in seen:
                return LinkStatus(url, None, current, hops + 1, problem=message("link-check.loop"))
            seen.add(current)
        return LinkStatus(url, None, current, MAX_REDIRECTS, problem=message("link-check.too-many"))

    def _ask(self, url: str, method: str) -> tuple[int, str, str] | str:
        """(status, Location, Content-Type) of one request, or why there was no answer."""
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, "", response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:  # 3xx (see _NoRedirect), 4xx, 5xx: an answer
            try:
                return error.code, error.headers.get("Location", ""), error.headers.get("Content-Type", "")
            finally:
                error.close()
        except urllib.error.URLError as error:
            return _reason(error.reason)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return _reason(error)


def link_checks(targets: Iterable[LinkTarget], statuses: dict[str, LinkStatus]) -> list[Check]:
    """Checks for `targets` from what opening them found: `link-broken` or `image-broken` for an
    address that is gone, refused or never answered, `link-redirect` (info) for one that moves
    elsewhere, and one `links-not-opened` info on what was not opened and why."""
    checks: list[Check] = []
    unsubscribe = tagged = 0
    for target in targets:
        if not _is_web(target.url):
            continue
        if target.unsubscribe:
            unsubscribe += 1
            continue
        if ESP_TAG.search(target.url):
            tagged += 1
            continue
        check_id = "link-broken" if target.kind == "link" else "image-broken"
        status = statuses.get(target.url)
        if status is not None:
            checks += _status_checks(target, status, check_id)
    reasons = [
        message(f"link-check.skipped.{key}", count=count)
        for key, count in (("unsubscribe", unsubscribe), ("tagged", tagged))
        if count
    ]
    if reasons:
        checks.append(
            Check("links-not-opened", Level.INFO, message("link-check.skipped", what="; ".join(reasons)))
        )
    return checks


def check_links(
    html: str,
    checker: LinkChecker,
    *,
    cancel: CancelToken | None = None,
    on_progress: ProgressFn = no_progress,
) -> list[Check]:
    """Open the links and images of one email and report them (see `link_checks`)."""
    targets = link_targets(html)
    statuses = checker.statuses(
        (t.url for t in targets if to_open(t)), cancel=cancel, on_progress=on_progress
    )
    return link_checks(targets, statuses)


def _status_checks(target: LinkTarget, status: LinkStatus, check_id: str) -> list[Check]:
    url = snippet(target.url)
    code = status.status
    if code is None:
        text, level = message("link-check.no-answer", url=url, reason=status.problem), Level.ERROR
    elif code in _REFUSED:
        text, level = message("link-check.refused", url=url, status=_status_text(code)), Level.WARNING
    elif code >= 400:
        text, level = message("link-check.gone", url=url, status=_status_text(code)), Level.ERROR
    else:
        return _answered_checks(target, status, check_id, url)
    return [Check(check_id, level, text, target.where)]


def _answered_checks(target: LinkTarget, status: LinkStatus, check_id: str, url: str) -> list[Check]:
    """Checks of an address that answered: an image that is not one, and where a redirect ends."""
    checks = []
    if target.kind == "image" and not status.content_type.lower().startswith("image/"):
        kind = status.content_type.split(";")[0].strip() or "no content type"
        checks.append(
            Check(check_id, Level.ERROR, message("link-check.not-image", url=url, kind=kind), target.where)
        )
    if status.hops:
        text = message("link-check.redirect", url=url, final=snippet(status.final_url), hops=status.hops)
        checks.append(Check("link-redirect", Level.INFO, text, target.where))
    return checks


def _status_text(code: int) -> str:
    try:
        return f"{code} {http.client.responses[code]}"
    except KeyError:
        return str(code)


def _reason(error: object) -> str:
    """Why no answer came, in words a marketer can act on."""
    if isinstance(error, TimeoutError | socket.timeout):
        return message("link-check.timeout")
    if isinstance(error, socket.gaierror):
        return message("link-check.no-such-host")
    if isinstance(error, ConnectionRefusedError):
        return message("link-check.refused-connection")
    if isinstance(error, ssl.SSLCertVerificationError):
        return message("link-check.certificate", detail=error.verify_message or str(error))
    if isinstance(error, ssl.SSLError):
        return message("link-check.tls", detail=str(error))
    return str(error) or type(error).__name__


def _is_web(url: str) -> bool:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return scheme in ("http", "https") and bool(urlsplit(url).hostname)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # urllib then raises HTTPError with the 3xx, which `status` follows itself
