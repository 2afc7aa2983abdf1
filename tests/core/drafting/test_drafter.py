"""Whole-sequence drafting: results stream per step, failures stay per step, concurrency is
bounded, cancel is prompt, and the plan, facts check, tokens and cost reach the results."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from seqstudio.core.cancel import CancelToken
from seqstudio.core.drafting import (
    OfflineDrafter,
    PromptLibrary,
    PromptTemplateError,
    StepDraftResult,
    draft_sequence,
    draft_step,
    rewrite_passage,
    suggest_subjects,
)
from seqstudio.core.drafting.errors import NeedsModelError
from seqstudio.core.drafting.facts import FactKind
from seqstudio.core.errors import CancelledError
from seqstudio.core.model import Email
from seqstudio.core.paths import shipped_dir
from tests.core.drafting.conftest import ClientFactory
from tests.core.drafting.replies import email_reply
from tests.support.openai_server import OpenAICompatibleServer, RecordedRequest, Reply


def for_step(position: int):
    return lambda request: f"Write email {position} of 6" in request.prompt


def test_every_step_is_delivered_as_it_finishes(server, make_client: ClientFactory, sequence) -> None:
    delivered: list[StepDraftResult] = []
    progress: list[tuple[int, int]] = []
    results = draft_sequence(
        sequence,
        client=make_client(),
        cancel=CancelToken(),
        on_progress=lambda done, total, _message: progress.append((done, total)),
        on_step_done=delivered.append,
    )
    assert [r.position for r in results] == [1, 2, 3, 4, 5, 6]
    assert all(r.ok for r in results)
    assert sorted(r.position for r in delivered) == [1, 2, 3, 4, 5, 6]
    assert {r.step_id for r in results} == {s.id for s in sequence.steps}
    assert progress[-1] == (6, 6)
    assert len(server.requests) == 6


def test_one_failing_step_does_not_stop_the_others(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.error(400, "context length exceeded"), when=for_step(3))
    results = draft_sequence(sequence, client=make_client(output_mode="json_schema"), cancel=CancelToken())
    failed = [r for r in results if not r.ok]
    assert [r.position for r in failed] == [3]
    assert failed[0].error == "The provider refused the request (400): context length exceeded"
    assert failed[0].email is None
    assert sum(r.ok for r in results) == 5


def test_no_more_than_max_concurrency_requests_are_in_flight(make_client: ClientFactory, sequence) -> None:
    with OpenAICompatibleServer(latency=0.2) as slow:
        client = make_client(max_concurrency=2)
        client.connection = replace(client.connection, base_url=slow.base_url)
        results = draft_sequence(sequence, client=client, cancel=CancelToken())
    assert all(r.ok for r in results)
    assert slow.max_in_flight == 2


def test_all_steps_are_in_flight_together_when_allowed(make_client: ClientFactory, sequence) -> None:
    with OpenAICompatibleServer(latency=0.2) as slow:
        client = make_client(max_concurrency=6)
        client.connection = replace(client.connection, base_url=slow.base_url)
        draft_sequence(sequence, client=client, cancel=CancelToken())
    assert slow.max_in_flight == 6


def test_cancel_stops_hanging_requests_and_raises(server, make_client: ClientFactory, sequence) -> None:
    server.script(*[Reply.hanging()] * 6)
    cancel = CancelToken()
    outcome: list[BaseException | None] = []

    def work() -> None:
        try:
            draft_sequence(sequence, client=make_client(read_timeout=120.0, max_concurrency=6), cancel=cancel)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    while len(server.requests) < 6 and worker.is_alive():
        threading.Event().wait(0.01)
    cancel.cancel()
    worker.join(timeout=30)  # liveness guard only: without a prompt cancel this takes 120 s per request
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], CancelledError)


def test_steps_finished_before_a_cancel_were_delivered(server, make_client: ClientFactory, sequence) -> None:
    server.script(*[Reply.hanging()] * 5, when=lambda r: "Write email 1 of 6" not in r.prompt)
    cancel = CancelToken()
    delivered: list[StepDraftResult] = []

    def on_done(result: StepDraftResult) -> None:
        delivered.append(result)
        cancel.cancel()

    with pytest.raises(CancelledError):
        draft_sequence(sequence, client=make_client(max_concurrency=6), cancel=cancel, on_step_done=on_done)
    assert [r.position for r in delivered] == [1]


def test_a_failing_callback_surfaces_as_its_own_error(server, make_client: ClientFactory, sequence) -> None:
    def broken(_result: StepDraftResult) -> None:
        raise RuntimeError("the editor went away")

    with pytest.raises(RuntimeError, match="the editor went away"):
        draft_sequence(sequence, client=make_client(), cancel=CancelToken(), on_step_done=broken)


def test_a_request_to_the_internet_would_fail_the_test(make_client: ClientFactory, sequence) -> None:
    client = make_client(max_attempts=1)
    client.connection = replace(client.connection, base_url="http://93.184.215.14/v1")  # never reached
    with pytest.raises(AssertionError, match=r"tried to reach 93\.184\.215\.14"):
        draft_step(sequence, 1, client=client, cancel=CancelToken())


def test_an_already_cancelled_token_sends_nothing(server, make_client: ClientFactory, sequence) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(CancelledError):
        draft_sequence(sequence, client=make_client(), cancel=cancel)
    assert server.requests == []


def test_invented_offer_facts_are_flagged_in_the_result(server, make_client: ClientFactory, sequence) -> None:
    invented = (
        "Our biggest sale ever: take 40% off everything with code HIKE40, only until Sunday! "
        "The Trail Runner is now just $89. Thanks for being part of Trailhead, we can't wait to see you."
    )
    server.script(Reply.ok(email_reply("40% off ends Sunday", body=invented)))
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    found = {(f.kind, f.text) for f in result.findings}
    assert (FactKind.PERCENTAGE, "40%") in found
    assert (FactKind.CODE, "HIKE40") in found
    assert (FactKind.DEADLINE, "until Sunday") in found
    assert (FactKind.PRICE, "$89") in found
    assert any(f.field == "subject" for f in result.findings)


def test_tokens_and_cost_come_from_the_servers_usage(server, make_client: ClientFactory, sequence) -> None:
    client = make_client(input_price_per_mtok=2.0, output_price_per_mtok=8.0, stream=False)
    result = draft_step(sequence, 1, client=client, cancel=CancelToken())
    prompt = server.requests[0].prompt
    assert result.tokens.prompt == max(1, len(prompt) // 4)  # the test server's usage rule
    expected = (result.tokens.prompt * 2.0 + result.tokens.completion * 8.0) / 1_000_000
    assert result.cost_usd == pytest.approx(expected)


def test_a_custom_endpoint_without_prices_has_no_cost(server, make_client: ClientFactory, sequence) -> None:
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    assert result.cost_usd is None and result.tokens.total > 0


def test_a_redraft_sees_the_other_steps_current_emails(server, make_client: ClientFactory, sequence) -> None:
    first = replace(
        sequence.step(1), email=Email(subject="Boots off, kettle on", body="We met at the trailhead.")
    )
    edited = replace(sequence, steps=(first, *sequence.steps[1:]))
    draft_step(edited, 2, client=make_client(), cancel=CancelToken())
    prompt = server.requests[0].prompt
    assert 'Subject "Boots off, kettle on"' in prompt and "We met at the trailhead." in prompt
    assert "Email 3: Show the bestseller" in prompt  # later steps are named so it leaves them alone


def test_plan_first_feeds_each_step_its_angle(server, make_client: ClientFactory, sequence) -> None:
    plan = {"steps": [{"position": p, "angle": f"Angle number {p}", "summary": "S."} for p in range(1, 7)]}
    server.script(Reply.ok(plan), when=lambda r: "Plan the 6 emails" in r.prompt)
    results = draft_sequence(sequence, client=make_client(plan_first=True), cancel=CancelToken())
    assert all(r.ok for r in results)
    assert "Plan the 6 emails" in server.requests[0].prompt
    step_four = next(r for r in server.requests if "Write email 4 of 6" in r.prompt)
    assert "Planned angle: Angle number 4" in step_four.prompt
    assert "Plan: Angle number 1" in step_four.prompt


def test_a_broken_template_fails_before_any_request(
    tmp_path: Path, server, make_client: ClientFactory, sequence
) -> None:
    (tmp_path / "step.j2").write_text("Write email {{ step.position }}\n{{ step.no_such_field }}\n")
    library = PromptLibrary([tmp_path, shipped_dir("prompts")])
    with pytest.raises(PromptTemplateError) as caught:
        draft_sequence(sequence, client=make_client(), cancel=CancelToken(), prompts=library)
    assert f"{tmp_path / 'step.j2'}, line 2" in caught.value.user_message
    assert server.requests == []


def test_subject_variants_are_distinct(server, make_client: ClientFactory, sequence) -> None:
    lines = ["Boots off", "Boots off", "Your first trail", "Mud, mostly", "Why we test in rain", "Hello"]
    server.script(Reply.ok({"subjects": lines}))
    variants = suggest_subjects(sequence, 1, client=make_client(), cancel=CancelToken(), count=5)
    assert variants.subjects == (
        "Boots off",
        "Your first trail",
        "Mud, mostly",
        "Why we test in rain",
        "Hello",
    )
    assert "Suggest 5 different subject lines" in server.requests[0].prompt
    assert variants.findings == ()


def test_subject_variants_with_invented_facts_are_flagged(
    server, make_client: ClientFactory, sequence
) -> None:
    server.script(Reply.ok({"subjects": ["Boots off", "30% off ends tonight"]}))
    variants = suggest_subjects(sequence, 1, client=make_client(), cancel=CancelToken(), count=2)
    assert [(f.kind, f.text) for f in variants.findings] == [
        (FactKind.PERCENTAGE, "30%"),
        (FactKind.DEADLINE, "ends tonight"),
    ]


def test_too_few_subject_variants_are_asked_for_again(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.ok({"subjects": ["One", "One"]}), Reply.ok({"subjects": ["A", "B", "C"]}))
    variants = suggest_subjects(sequence, 1, client=make_client(), cancel=CancelToken(), count=3)
    assert variants.subjects == ("A", "B", "C")
    assert "subjects has 1 different lines; give 3" in server.requests[1].prompt


def test_rewrite_returns_the_passage_and_checks_its_facts(
    server, make_client: ClientFactory, sequence
) -> None:
    server.script(Reply.ok({"text": "Take 25% off today only."}))
    rewrite = rewrite_passage(
        sequence,
        1,
        "Unlock your journey.",
        "Sounds machine-written",
        client=make_client(),
        cancel=CancelToken(),
    )
    assert rewrite.text == "Take 25% off today only."
    assert {f.kind for f in rewrite.findings} == {FactKind.PERCENTAGE, FactKind.DEADLINE}
    request: RecordedRequest = server.requests[0]
    assert "Unlock your journey." in request.prompt and "Sounds machine-written" in request.prompt


def test_offline_client_drafts_subjects_but_not_rewrites(sequence) -> None:
    offline = OfflineDrafter()
    variants = suggest_subjects(sequence, 1, client=offline, cancel=CancelToken(), count=4)
    assert len(set(variants.subjects)) == 4 and variants.model == "offline"
    with pytest.raises(NeedsModelError):
        rewrite_passage(sequence, 1, "x", "y", client=offline, cancel=CancelToken())


def test_tokens_are_counted_locally_only_when_the_server_reports_none() -> None:
    from seqstudio.core.drafting.llm import _usage
    from seqstudio.core.drafting.tokens import TokenUsage

    class Reported:
        prompt_tokens, completion_tokens = 120, 80

    assert _usage(Reported(), [{"role": "user", "content": "x" * 400}], "y" * 40) == TokenUsage(120, 80)
    local = _usage(None, [{"role": "user", "content": "hello there, how are you"}], "fine, thanks")
    assert local.estimated and local.prompt > 4 and local.completion > 0
