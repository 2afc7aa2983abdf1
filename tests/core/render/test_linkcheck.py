"""The link checker against a real web server on 127.0.0.1: what it opens, how it reads each
answer, and what it never opens."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from seqstudio.core.cancel import CancelToken
from seqstudio.core.errors import CancelledError
from seqstudio.core.render.addresses import is_placeholder
from seqstudio.core.render.findings import Check, Level
from seqstudio.core.render.linkcheck import LinkChecker, LinkTarget, check_links, link_targets, to_open
from tests.support.web_server import WebServer, web_server


@pytest.fixture()
def server() -> Iterator[WebServer]:
    with web_server() as running:
        yield running


def email(*elements: str) -> str:
    return "<!doctype html><html><body>" + "".join(elements) + "</body></html>"


def only(checks: list[Check], check_id: str) -> list[Check]:
    return [c for c in checks if c.id == check_id]


def test_a_page_that_answers_gives_no_check(server: WebServer) -> None:
    html = email(f'<a href="{server.base}/ok">Shop</a>', f'<img src="{server.base}/logo.png" alt="Logo">')
    assert check_links(html, LinkChecker()) == []
    assert sorted(server.paths()) == ["/logo.png", "/ok"]  # HEAD answered; no GET needed


@pytest.mark.parametrize(
    ("path", "level", "words"),
    [
        ("/gone", Level.ERROR, "404 Not Found"),
        ("/error", Level.ERROR, "500 Internal Server Error"),
        ("/moved-to-gone", Level.ERROR, "404 Not Found"),
        ("/robots-not-welcome", Level.WARNING, "refused an automated check (403 Forbidden)"),
        ("/loop-a", Level.ERROR, "loop"),
        ("/to-mail", Level.ERROR, "not a web page"),
    ],
)
def test_a_link_that_fails_says_how(server: WebServer, path: str, level: Level, words: str) -> None:
    html = email(f'<a href="{server.base}{path}">Read more</a>')
    [check] = only(check_links(html, LinkChecker()), "link-broken")
    assert check.level is level
    assert words in check.message
    assert check.where == f'<a href="{server.base}{path}">'


def test_a_redirect_is_reported_with_where_it_ends(server: WebServer) -> None:
    html = email(f'<a href="{server.base}/moved-twice">Shop</a>')
    [check] = check_links(html, LinkChecker())
    assert (check.id, check.level) == ("link-redirect", Level.INFO)
    assert f"redirects to {server.base}/ok (2 hop(s))" in check.message


def test_a_server_that_refuses_head_is_asked_with_get(server: WebServer) -> None:
    html = email(f'<a href="{server.base}/head-not-allowed">Shop</a>')
    assert check_links(html, LinkChecker()) == []
    assert server.paths() and server.requests == [("HEAD", "/head-not-allowed"), ("GET", "/head-not-allowed")]


def test_an_image_address_that_is_not_an_image_is_broken(server: WebServer) -> None:
    html = email(f'<img src="{server.base}/ok" alt="Hero">', f'<img src="{server.base}/gone" alt="Logo">')
    checks = check_links(html, LinkChecker())
    assert [(c.id, c.level) for c in checks] == [("image-broken", Level.ERROR)] * 2
    assert "not an image (the server sends text/html)" in checks[0].message
    assert "404 Not Found" in checks[1].message


def test_each_address_is_opened_once(server: WebServer) -> None:
    html = email(*[f'<a href="{server.base}/ok">Shop {n}</a>' for n in range(5)])
    assert check_links(html, LinkChecker()) == []
    assert server.paths() == ["/ok"]


def test_a_server_that_never_answers_is_given_up_on(server: WebServer) -> None:
    server.stall_seconds = 30.0
    started = time.monotonic()
    [check] = check_links(email(f'<a href="{server.base}/stall">Shop</a>'), LinkChecker(timeout=0.3))
    assert time.monotonic() - started < 20  # gave up (HEAD, then GET) long before the server answered
    assert check.level is Level.ERROR
    assert "no answer within the time limit" in check.message


def test_a_closed_port_is_a_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    [check] = check_links(email(f'<a href="http://127.0.0.1:{port}/">Shop</a>'), LinkChecker(timeout=2))
    assert check.level is Level.ERROR
    assert "the server refused the connection" in check.message


def test_unsubscribe_links_and_merge_tags_are_never_opened(server: WebServer) -> None:
    html = email(
        f'<a href="{server.base}/unsubscribe?c=42">Unsubscribe</a>',
        f'<a href="{server.base}/prefs">Manage your email preferences</a>',
        f'<a href="{server.base}/ok?id={{{{ contact.id }}}}">Shop</a>',
        f'<a href="{server.base}/ok?e=*|EMAIL|*">Shop</a>',
        '<a href="mailto:hello@roastery.test">Write to us</a>',
    )
    checks = check_links(html, LinkChecker())
    assert server.requests == []
    [note] = checks
    assert (note.id, note.level) == ("links-not-opened", Level.INFO)
    assert (
        "2 unsubscribe link(s) (opening" in note.message and "; 2 address(es) with merge tags" in note.message
    )


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://example.com/shop", True),
        ("https://www.example.org/", True),
        ("http://shop.test/x", True),
        ("https://roastery.invalid", True),
        ("https://example.community/", False),
        ("https://myexample.com/", False),
        ("http://127.0.0.1:8080/", False),
    ],
)
def test_names_reserved_for_examples_are_placeholders(url: str, placeholder: bool) -> None:
    assert is_placeholder(url) is placeholder


def test_a_placeholder_address_is_not_opened(server: WebServer) -> None:
    checker = LinkChecker()
    assert (
        check_links(email('<a href="https://example.com/shop">Shop</a>'), checker) == []
    )  # see link-invalid
    assert not to_open(LinkTarget("https://example.com/shop", "link", ""))


def test_targets_come_in_document_order_with_their_kind() -> None:
    html = email('<img src="https://a.test/1.png">', '<a href="https://a.test/x">X</a>', "<a name='top'></a>")
    assert [(t.kind, t.url) for t in link_targets(html)] == [
        ("image", "https://a.test/1.png"),
        ("link", "https://a.test/x"),
    ]


def test_progress_counts_addresses_and_cancel_stops_the_wait(server: WebServer) -> None:
    seen: list[tuple[int, int]] = []
    checker = LinkChecker()
    checker.statuses(
        [f"{server.base}/ok", f"{server.base}/gone"], on_progress=lambda d, t, _: seen.append((d, t))
    )
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)

    server.stall_seconds = 30.0
    token = CancelToken()
    threading.Timer(0.2, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(CancelledError):
        LinkChecker(timeout=60).statuses([f"{server.base}/stall"], cancel=token)
    assert time.monotonic() - started < 20  # did not wait for the stalled request
