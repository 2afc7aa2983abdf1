"""A whole sequence through the pipeline: six emails, their checks, progress and cancelling."""

from __future__ import annotations

from datetime import date

import pytest

from seqstudio.core.cancel import CancelToken
from seqstudio.core.errors import CancelledError
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Sequence
from seqstudio.core.paths import shipped_dir
from seqstudio.core.render.checks import Level
from seqstudio.core.render.pipeline import Renderer

TODAY = date(2026, 11, 30)


def test_renders_the_example_flow_without_errors(renderer: Renderer) -> None:
    flow = read_flow_file(shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml").sequence
    rendered = renderer.render_sequence(flow, today=TODAY)
    assert [e.position for e in rendered.emails] == [1, 2, 3, 4, 5, 6]
    for email in rendered.emails:
        assert not [c for c in email.checks if c.level is Level.ERROR], email.position
        assert email.html.startswith("<!DOCTYPE html>") and "{{" not in email.html
        assert "Unsubscribe (https://example.com/unsubscribe?c=sample-ana)" in email.text
        assert 0 < email.inlined_bytes < 102_000
    assert {c.id for c in rendered.checks} == {"step-not-approved"}


def test_reports_progress_and_honours_cancel(renderer: Renderer, tea_sequence: Sequence) -> None:
    seen: list[tuple[int, int]] = []
    renderer.render_sequence(
        tea_sequence, today=TODAY, on_progress=lambda done, total, _msg: seen.append((done, total))
    )
    assert seen == [(0, 6), (1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]

    token = CancelToken()

    def cancel_after_two(done: int, total: int, message: str) -> None:
        if done == 2:
            token.cancel()

    with pytest.raises(CancelledError):
        renderer.render_sequence(tea_sequence, today=TODAY, cancel=token, on_progress=cancel_after_two)


def test_the_tea_sequence_is_clean_in_both_layouts(renderer: Renderer, tea_sequence: Sequence) -> None:
    for layout in ("branded", "letter"):
        rendered = renderer.render_sequence(tea_sequence, today=TODAY, layout=layout)
        problems = [(e.position, c.id) for e in rendered.emails for c in e.checks]
        assert problems == [], layout
