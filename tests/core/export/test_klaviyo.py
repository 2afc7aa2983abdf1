"""Klaviyo export against a local HTTP server that checks every body against the OpenAPI document."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import jsonschema
import pytest

from seqstudio.core.errors import StudioError
from seqstudio.core.export.klaviyo import bodies
from seqstudio.core.export.klaviyo.client import LIMITS, Clock, KlaviyoClient, RateLimiter, route
from seqstudio.core.export.klaviyo.exporter import KlaviyoResult, export_klaviyo, plan_klaviyo
from seqstudio.core.export.rendering import default_render
from seqstudio.core.flowmeta import FlowMeta
from seqstudio.core.model import Sequence
from tests.support.klaviyo_server import Fault, KlaviyoStub, klaviyo_stub
from tests.support.openapi import published_limits, request_schema_ref, validation_errors

KEY = "pk_test_0123456789abcdef"


@dataclass
class VirtualClock:
    """Time that passes only when the client sleeps, so waits are counted, never waited."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> Clock:
        return Clock(monotonic=lambda: self.now, sleep=self.sleep)


@pytest.fixture
def stub() -> Iterator[KlaviyoStub]:
    with klaviyo_stub(validation_errors) as server:
        server.state.lists["L0001"] = "Newsletter"
        for number, name in enumerate(["Opened Email", "Started Checkout", "Viewed Product", "Placed Order"]):
            server.state.metrics[f"M{number}"] = name
        yield server


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


def _export(stub: KlaviyoStub, clock: VirtualClock, sequence: Sequence, meta: FlowMeta) -> KlaviyoResult:
    client = KlaviyoClient(KEY, base_url=stub.url, limiter=RateLimiter(clock.clock()))
    return export_klaviyo(sequence, meta, client, render=default_render())


def test_first_export_creates_templates_then_a_draft_flow_tagged_for_lookup(
    stub: KlaviyoStub, clock: VirtualClock, fernweh: Sequence
) -> None:
    result = _export(stub, clock, fernweh, FlowMeta())
    assert stub.invalid == []
    writes = [(s.method, route(s.path)) for s in stub.seen if s.method != "GET"]
    assert writes == [("POST", "/api/templates")] * 6 + [
        ("POST", "/api/flows"),
        ("POST", "/api/tags"),
        ("POST", "/api/tags/{id}/relationships/flows"),
    ]
    (flow,) = stub.state.flows.values()
    definition = flow["definition"]
    assert definition["triggers"] == [{"type": "list", "id": "L0001"}]
    emails = [a for a in definition["actions"] if a["type"] == "send-email"]
    assert [a["data"]["status"] for a in emails] == ["draft"] * 6
    assert [a["data"]["message"]["template_id"] for a in emails] == list(stub.state.templates)
    order_filter = definition["profile_filter"]["condition_groups"][0]["conditions"][0]
    assert order_filter["metric_id"] == "M3" and order_filter["timeframe_filter"]["operator"] == "flow-start"
    assert stub.state.tags == {"G0008": "seqstudio:seq_example_fernweh_welcome"}
    assert stub.state.tag_flows["G0008"] == {result.flow_id}
    block = result.meta.block("klaviyo")
    assert block["flow_id"] == result.flow_id and block["tag_id"] == "G0008"
    assert set(block["templates"]) == {s.id for s in fernweh.steps}
    assert result.notes == (), "read back matches"
    for seen in stub.seen:
        assert seen.headers["authorization"] == f"Klaviyo-API-Key {KEY}"
        assert seen.headers["revision"] == "2026-07-15"
        assert seen.headers["accept"] == "application/vnd.api+json"
        if seen.body is not None:
            assert seen.headers["content-type"] == "application/vnd.api+json"


def test_re_export_updates_templates_and_creates_nothing(
    stub: KlaviyoStub, clock: VirtualClock, fernweh: Sequence
) -> None:
    first = _export(stub, clock, fernweh, FlowMeta())
    stub.seen.clear()
    edited_steps = list(fernweh.steps)
    edited_steps[1] = replace(edited_steps[1], email=replace(edited_steps[1].email, body="A new story."))
    second = _export(stub, clock, replace(fernweh, steps=tuple(edited_steps)), first.meta)
    assert [s.method for s in stub.seen if s.method == "POST"] == []
    assert len(stub.requests("PATCH", "/api/templates/{id}")) == 6
    assert len(stub.state.flows) == 1 and len(stub.state.templates) == 6
    assert (
        "A new story."
        in stub.state.templates[second.meta.block("klaviyo")["templates"][edited_steps[1].id]]["text"]
    )
    assert second.flow_id == first.flow_id
    assert any("cannot change an existing flow's steps" in note for note in second.notes)


def test_a_lost_flow_file_block_still_finds_everything_by_name(
    stub: KlaviyoStub, clock: VirtualClock, fernweh: Sequence
) -> None:
    first = _export(stub, clock, fernweh, FlowMeta())
    again = _export(stub, clock, fernweh, FlowMeta())
    assert again.flow_id == first.flow_id
    assert len(stub.state.flows) == 1 and len(stub.state.templates) == 6 and len(stub.state.tags) == 1


def test_429_waits_as_retry_after_says(stub: KlaviyoStub, clock: VirtualClock, fernweh: Sequence) -> None:
    stub.faults.append(Fault("POST", "/api/templates", "429", times=1, retry_after="7"))
    _export(stub, clock, fernweh, FlowMeta())
    assert 7.0 in clock.sleeps
    assert len(stub.requests("POST", "/api/templates")) == 7, "the throttled one was sent again"
    assert len(stub.state.templates) == 6


def test_a_create_without_an_answer_is_looked_up_not_resent(
    stub: KlaviyoStub, clock: VirtualClock, fernweh: Sequence
) -> None:
    stub.faults.append(Fault("POST", "/api/flows", "drop"))
    result = _export(stub, clock, fernweh, FlowMeta())
    assert len(stub.requests("POST", "/api/flows")) == 1
    assert len(stub.state.flows) == 1 and result.flow_id in stub.state.flows
    lookup = stub.requests("GET", "/api/flows")
    assert lookup and lookup[0].query["filter"] == [f'equals(name,"{bodies.flow_name(fernweh)}")']


def test_partial_failure_then_resume_creates_nothing_twice(
    stub: KlaviyoStub, clock: VirtualClock, fernweh: Sequence
) -> None:
    saved: list[FlowMeta] = []
    client = KlaviyoClient(KEY, base_url=stub.url, limiter=RateLimiter(clock.clock()))
    stub.faults.append(Fault("POST", "/api/flows", "fail"))
    with pytest.raises(StudioError, match="run the export again"):
        export_klaviyo(fernweh, FlowMeta(), client, render=default_render(), checkpoint=saved.append)
    assert len(stub.state.templates) == 6 and not stub.state.flows
    resumed = export_klaviyo(fernweh, saved[-1], client, render=default_render())
    assert len(stub.state.templates) == 6, "templates from the failed run were reused"
    assert len(stub.state.flows) == 1 and resumed.notes == ()
    assert len(stub.requests("POST", "/api/templates")) == 6


def test_a_missing_metric_is_named(stub: KlaviyoStub, clock: VirtualClock, cart: Sequence) -> None:
    del stub.state.metrics["M1"]
    with pytest.raises(StudioError) as caught:
        _export(
            stub, clock, replace(cart, trigger=replace(cart.trigger, event="checkout_started")), FlowMeta()
        )
    assert "no metric named 'Started Checkout'" in caught.value.user_message
    assert "x-klaviyo.names.checkout_metric" in caught.value.user_message
    assert not stub.state.templates, "nothing is created before the names resolve"


def test_flow_creates_keep_to_one_a_second_and_fifteen_a_minute(clock: VirtualClock) -> None:
    limiter = RateLimiter(clock.clock())
    stamps = []
    for _ in range(16):
        limiter.wait_turn("POST", "/api/flows")
        stamps.append(clock.now)
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert all(gap >= 1.0 for gap in gaps)
    assert stamps[15] - stamps[0] >= 60.0, "the sixteenth waits for the minute window"
    assert sum(1 for s in stamps if s < stamps[0] + 60.0) == 15


def test_client_limits_match_the_published_limits() -> None:
    for (method, path), limits in LIMITS.items():
        assert limits == published_limits(method, path), (method, path)


def test_dry_run_bodies_validate_against_the_spec(fernweh: Sequence, cart: Sequence) -> None:
    for sequence in (fernweh, replace(cart, holdout_percent=10.0), replace(cart, reentry_cooldown="PT0S")):
        plan = plan_klaviyo(sequence, FlowMeta(), render=default_render())
        assert [p.method for p in plan if p.path == "/api/flows"] == ["POST"]
        for request in plan:
            if request.body is not None:
                assert validation_errors(request.method, route(request.path), request.body) == []


def test_the_integer_quirk_is_real_and_handled(fernweh: Sequence) -> None:
    """An integer filter value fails a strict oneOf of integer and number; the rewrite accepts it."""
    body = bodies.flow_create(fernweh, {"list": "L", "order_metric": "M"}, {s.id: "T" for s in fernweh.steps})
    value = body["data"]["attributes"]["definition"]["profile_filter"]["condition_groups"][0]["conditions"][0]
    assert value["measurement_filter"]["value"] == 0
    strict = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    assert not jsonschema.Draft202012Validator(strict).is_valid(0)
    assert request_schema_ref("POST", "/api/flows") == "#/components/schemas/FlowCreateQuery"
    broken = copy.deepcopy(body)
    broken["data"]["attributes"]["definition"]["actions"][0]["data"]["status"] = "paused"
    assert validation_errors("POST", "/api/flows", broken), "the validator does reject bad bodies"
    assert validation_errors("POST", "/api/flows", body) == []


def test_the_daily_flow_limit_refuses_before_sending(clock: VirtualClock) -> None:
    limiter = RateLimiter(clock.clock())
    for _ in range(100):
        limiter.wait_turn("POST", "/api/flows")
    with pytest.raises(StudioError, match="100 POST /api/flows requests a day"):
        limiter.wait_turn("POST", "/api/flows")
    clock.sleep(86400.0)
    limiter.wait_turn("POST", "/api/flows")


def test_merge_tags_are_written_in_klaviyos_syntax(fernweh: Sequence) -> None:
    step = fernweh.step(1)
    body = bodies.template_create(fernweh, step, default_render()(fernweh, step, None))
    attributes = body["data"]["attributes"]
    assert attributes["text"].startswith("Hi {{ first_name|default:'there' }},")
    assert "Hi {{ first_name|default:'there' }}," in attributes["html"]
    assert 'href="{% unsubscribe_url %}"' in attributes["html"]
    assert "{{ first_name |" not in attributes["html"] + attributes["text"]
    assert bodies.klaviyo_tags('{{ name | default("friend") }}') == "{{ name|default:'friend' }}"
