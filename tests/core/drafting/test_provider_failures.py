"""The client against a real local HTTP server: success, rate limits, server errors, timeouts,
malformed and cut replies, refusals, and servers without json_schema support."""

from __future__ import annotations

import json

from seqstudio.core.cancel import CancelToken
from seqstudio.core.drafting import draft_step
from seqstudio.core.drafting.settings import OutputMode
from tests.core.drafting.conftest import TEST_KEY, ClientFactory, RecordedSleep
from tests.core.drafting.replies import BODY, email_reply
from tests.support.openai_server import OpenAICompatibleServer, Reply


def test_a_valid_reply_becomes_the_email_with_usage(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.ok(email_reply("Muddy boots welcome")))
    result = draft_step(sequence, 1, client=make_client(stream=False), cancel=CancelToken())
    assert result.ok and result.error == ""
    assert result.email is not None and result.email.subject == "Muddy boots welcome"
    assert result.email.cta.url == "https://trailhead.example/runner"
    assert result.model == "test-model" and result.origin == "AI draft (test-model)"
    assert result.tokens.prompt > 0 and result.tokens.completion > 0 and not result.tokens.estimated
    request = server.requests[0]
    assert request.response_format == "json_schema" and request.had_authorization
    assert "Welcome them and deliver the discount code" in request.prompt


def test_streaming_reply_is_assembled_from_chunks(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.ok(email_reply("Streamed subject line")))
    result = draft_step(sequence, 2, client=make_client(stream=True), cancel=CancelToken())
    assert result.email is not None and result.email.subject == "Streamed subject line"
    assert result.email.body == BODY
    assert server.requests[0].body["stream"] is True
    assert not result.tokens.estimated  # usage came in the final chunk


def test_429_is_retried_after_the_servers_retry_after(
    server, make_client: ClientFactory, sleeps: RecordedSleep, sequence
) -> None:
    server.script(Reply.error(429, "slow down", retry_after="2"), Reply.ok(email_reply()))
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    assert result.ok
    assert sleeps.delays == [2.0]
    assert len(server.requests) == 2


def test_a_retry_after_beyond_the_limit_fails_at_once(
    server, make_client: ClientFactory, sleeps: RecordedSleep, sequence
) -> None:
    server.script(Reply.error(429, retry_after="3600"))
    result = draft_step(sequence, 1, client=make_client(max_retry_wait=60), cancel=CancelToken())
    assert not result.ok and "asks to wait 3600 s" in result.error
    assert sleeps.delays == [] and len(server.requests) == 1


def test_server_errors_back_off_exponentially_then_fail_with_a_reason(
    server, make_client: ClientFactory, sleeps: RecordedSleep, sequence
) -> None:
    server.script(*[Reply.error(500, "boom")] * 4)
    result = draft_step(sequence, 1, client=make_client(max_attempts=4), cancel=CancelToken())
    assert not result.ok
    assert "server error (500) on 4 tries" in result.error
    assert sleeps.delays == [0.5, 1.0, 2.0]  # jitter pinned to its top in these tests
    assert len(server.requests) == 4


def test_a_503_then_success_drafts_the_step(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.error(503), Reply.ok(email_reply("After the outage")))
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    assert result.email is not None and result.email.subject == "After the outage"


def test_a_hanging_server_times_out_and_the_step_says_so(
    server, make_client: ClientFactory, sequence
) -> None:
    server.script(Reply.hanging(), Reply.hanging())
    client = make_client(read_timeout=0.3, max_attempts=2)
    result = draft_step(sequence, 1, client=client, cancel=CancelToken())
    assert not result.ok and result.error == "The provider did not answer in time (2 tries)."
    assert len(server.requests) == 2


def test_invalid_json_is_sent_back_once_with_the_problem(
    server, make_client: ClientFactory, sequence
) -> None:
    server.script(Reply.ok('{"subject": "Half an obj'), Reply.ok(email_reply("Second try")))
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    assert result.email is not None and result.email.subject == "Second try"
    retry = server.requests[1].body["messages"]
    assert retry[-2] == {"role": "assistant", "content": '{"subject": "Half an obj'}
    assert "not valid JSON" in retry[-1]["content"]


def test_a_reply_missing_fields_twice_fails_with_the_validation_error(
    server, make_client: ClientFactory, sequence
) -> None:
    incomplete = {"subject": "Only a subject"}
    server.script(Reply.ok(incomplete), Reply.ok(incomplete))
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    assert not result.ok
    assert result.error.startswith("The model's reply was not a usable email, twice:")
    assert "'preheader' is a required property" in result.error
    assert len(server.requests) == 2


def test_a_link_that_is_not_in_the_offer_is_rejected(server, make_client: ClientFactory, sequence) -> None:
    wrong = email_reply(cta_url="https://invented.example/sale")
    server.script(Reply.ok(wrong), Reply.ok(wrong))
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    assert not result.ok and "https://invented.example/sale" in result.error


def test_an_unreadable_http_body_is_retried(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply(raw_body=b'{"id": "x", "choices": [{"ind'), Reply.ok(email_reply("Readable")))
    result = draft_step(sequence, 1, client=make_client(stream=False), cancel=CancelToken())
    assert result.email is not None and result.email.subject == "Readable"


def test_a_cut_stream_is_retried(server, make_client: ClientFactory, sequence) -> None:
    server.script(
        Reply.truncated(email_reply(), cut_after_chars=60), Reply.ok(email_reply("Whole this time"))
    )
    result = draft_step(sequence, 1, client=make_client(stream=True), cancel=CancelToken())
    assert result.email is not None and result.email.subject == "Whole this time"
    assert len(server.requests) == 2


def test_streams_cut_every_time_fail_with_the_reason(server, make_client: ClientFactory, sequence) -> None:
    server.script(*[Reply.truncated(email_reply(), cut_after_chars=60)] * 2)
    result = draft_step(sequence, 1, client=make_client(stream=True, max_attempts=2), cancel=CancelToken())
    assert not result.ok and "the reply stopped before it was complete" in result.error


def test_a_refusal_fails_the_step_with_the_models_words(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.refused("I can't help with that."), Reply.refused("I can't help with that."))
    streamed = draft_step(sequence, 1, client=make_client(stream=True), cancel=CancelToken())
    plain = draft_step(sequence, 1, client=make_client(stream=False), cancel=CancelToken())
    for result in (streamed, plain):
        assert not result.ok
        assert result.error == "The model declined to write this: I can't help with that."
    assert len(server.requests) == 2  # a refusal is not retried


def test_a_server_without_json_schema_gets_json_object_and_the_schema_in_the_prompt(
    make_client: ClientFactory, sequence
) -> None:
    with OpenAICompatibleServer(schema_support=False) as plain_server:
        client = make_client(base_url=plain_server.base_url)
        client.connection = type(client.connection)(plain_server.base_url, TEST_KEY)
        first = draft_step(sequence, 1, client=client, cancel=CancelToken())
        second = draft_step(sequence, 2, client=client, cancel=CancelToken())
    assert first.ok and second.ok
    formats = [r.response_format for r in plain_server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]  # the fallback sticks
    assert client.mode == OutputMode.JSON_OBJECT
    assert "<json-schema>" in plain_server.requests[1].prompt


def test_prompt_mode_reads_json_from_chatter_and_code_fences(
    server, make_client: ClientFactory, sequence
) -> None:
    chatty = "Sure! Here is the email:\n```json\n" + json.dumps(email_reply("Fenced")) + "\n```\nEnjoy."
    server.script(Reply.ok(chatty))
    result = draft_step(sequence, 1, client=make_client(output_mode=OutputMode.PROMPT), cancel=CancelToken())
    assert result.email is not None and result.email.subject == "Fenced"
    assert server.requests[0].response_format == "none"


def test_a_rejected_key_fails_without_repeating_the_key(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.error(401, f"Incorrect API key provided: {TEST_KEY}"))
    result = draft_step(sequence, 1, client=make_client(), cancel=CancelToken())
    assert not result.ok and "rejected the API key" in result.error
    assert TEST_KEY not in result.error + result.detail + repr(result)
    assert "[redacted]" in result.detail


def test_an_unknown_model_names_the_model(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.error(404, "model not found"))
    result = draft_step(sequence, 1, client=make_client(model="no-such-model"), cancel=CancelToken())
    assert not result.ok and "no model named 'no-such-model'" in result.error


def test_a_400_about_something_else_keeps_json_schema(server, make_client: ClientFactory, sequence) -> None:
    server.script(Reply.error(400, "This model's maximum context length is 8192 tokens"))
    client = make_client()
    result = draft_step(sequence, 1, client=client, cancel=CancelToken())
    assert not result.ok and "maximum context length" in result.error
    assert client.mode == OutputMode.JSON_SCHEMA and len(server.requests) == 1


def test_the_steps_own_button_link_and_label_reach_the_prompt(
    server, make_client: ClientFactory, sequence
) -> None:
    from dataclasses import replace

    from seqstudio.core.model import Cta, Email

    step = replace(
        sequence.step(1), email=Email(cta=Cta("Back to your cart", "https://trailhead.example/cart"))
    )
    with_cart = replace(sequence, steps=(step, *sequence.steps[1:]))
    server.script(Reply.ok(email_reply(cta_url="https://trailhead.example/cart")))
    result = draft_step(with_cart, 1, client=make_client(), cancel=CancelToken())
    assert result.email is not None and result.email.cta.url == "https://trailhead.example/cart"
    assert 'so far "Back to your cart"' in server.requests[0].prompt
