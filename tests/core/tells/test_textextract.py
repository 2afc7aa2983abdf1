"""What the linter reads: visible HTML text, flow-file fields, format and language guesses."""

from __future__ import annotations

import pytest

from seqstudio.core.errors import FlowFileError
from seqstudio.core.tells.textextract import (
    extract_parts,
    flow_language,
    flow_parts,
    guess_format,
    guess_language,
    html_parts,
    html_visible_text,
)

HTML = """<!doctype html><html><head><title>Inbox title</title><style>p { color: red }</style>
<script>var tracking = "hidden words";</script></head>
<body><div style="display: none; max-height: 0">A hidden preheader</div>
<div hidden>Also hidden</div>
<h1>Hello &amp; welcome</h1><p>First   paragraph<br>second line.</p>
<!-- a comment nobody sees -->
<table><tr><td>Cell one</td><td>Cell two</td></tr></table>
<p>Caf&eacute; &#8212; open <b>daily</b>.</p></body></html>"""

FLOW = """format: mailflow/v1
id: spring
name: Spring welcome
kind: welcome
language: de
brand: {name: Fernweh}
trigger: {event: subscribed}
steps:
  - position: 1
    delay: PT0S
    purpose: Deliver
    email:
      subject: Willkommen
      preheader: ""
      body: |
        Hallo!
        Schön, dass du da bist.
  - position: 2
    delay: P2D
    purpose: Story
    email: {subject: Unsere Geschichte, body: Wir rösten seit 2015.}
  - position: 3
    delay: P2D
    purpose: Proof
"""


def test_html_keeps_only_what_a_reader_sees() -> None:
    assert html_visible_text(HTML) == (
        "Hello & welcome\n\nFirst paragraph\nsecond line.\n\nCell one\n\nCell two\n\nCafé — open daily."
    )


def test_a_hidden_preheader_is_a_part_of_its_own() -> None:
    parts = extract_parts(HTML, "html", "x.html")
    assert [(p.field, p.text) for p in parts] == [
        ("preheader", "A hidden preheader"),
        ("body", html_visible_text(HTML)),
    ]
    assert [p.field for p in html_parts(HTML, body_field="body")] == ["preheader", "body"]


def test_a_preheader_the_visible_text_already_has_is_not_linted_twice() -> None:
    visible = "<body><p>Your beans ship Wednesday.</p><p>Enjoy.</p></body>"
    by_class = '<body><div class="preheader">Your beans ship Wednesday.</div><p>Enjoy.</p></body>'
    for html in (visible, by_class):  # a class hides it from the inbox, not from html_visible_text
        assert [p.field for p in html_parts(html)] == [""]


def test_flow_parts_are_each_steps_subject_preheader_and_body() -> None:
    parts = flow_parts(FLOW, "spring.yaml")
    assert [(p.field, p.text) for p in parts] == [
        ("steps[0].email.subject", "Willkommen"),
        ("steps[0].email.body", "Hallo!\nSchön, dass du da bist.\n"),
        ("steps[1].email.subject", "Unsere Geschichte"),
        ("steps[1].email.body", "Wir rösten seit 2015."),
    ]
    assert flow_language(FLOW, "spring.yaml") == "de"
    assert flow_language(FLOW.replace("language: de\n", ""), "spring.yaml") == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("format: mailflow/v1\nsteps: [\n", "is not valid YAML"),
        ("format: seqstudio-blueprint/v1\nsteps: []\n", "is not a flow file"),
        ("- just\n- a list\n", "is not a flow file"),
        ("format: mailflow/v1\nid: x\n", "it has no list of steps"),
        ("format: mailflow/v1\nsteps: [{email: {subject: 3}}]\n", "steps[0].email.subject: must be text"),
        ("format: mailflow/v1\nsteps: [{email: [1]}]\n", "'email' must be a mapping"),
    ],
)
def test_a_broken_flow_file_names_the_file_and_field(content: str, message: str) -> None:
    with pytest.raises(FlowFileError) as raised:
        flow_parts(content, "broken.yaml")
    assert raised.value.user_message.startswith("broken.yaml")
    assert message in raised.value.user_message


def test_invalid_yaml_reports_its_line() -> None:
    with pytest.raises(FlowFileError) as raised:
        flow_parts("format: mailflow/v1\nsteps:\n  - email: {subject: [\n", "broken.yaml")
    assert raised.value.line is not None and raised.value.line >= 3


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("note.md", "# Hi", "markdown"),
        ("mail.HTML", "x", "html"),
        ("flow.yml", "x", "flow"),
        ("", "format: mailflow/v1\nsteps: []", "flow"),
        ("", "  <!DOCTYPE html><p>hi</p>", "html"),
        ("", "<div>hi</div>", "html"),
        ("notes.txt", "<3 you", "text"),
        ("", "Plain words", "text"),
    ],
)
def test_format_from_name_or_content(name: str, content: str, expected: str) -> None:
    assert guess_format(name, content) == expected


def test_markdown_and_text_are_linted_as_written() -> None:
    markdown = "## Hi\n\n**Bold** text"
    assert [p.text for p in extract_parts(markdown, "markdown", "x.md")] == [markdown]
    assert [p.text for p in extract_parts("<p>Hi</p>", "html", "x.html")] == ["Hi"]


def test_language_guess() -> None:
    assert guess_language("Wir freuen uns, dass du da bist, und schicken dir die Bohnen.") == "de"
    assert guess_language("We are glad you are here, and we will send the beans.") == "en"
    assert guess_language("") == "en"
