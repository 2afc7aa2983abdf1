"""One structured chat completion against OpenAI or any OpenAI-compatible endpoint, done carefully.

- Output: response_format json_schema; on a 400 from a server without schema support, json_object;
  then no response_format at all, the schema quoted in the prompt (the choice sticks per client).
  Replies are read tolerantly (code fences, chatter) and checked; an unusable reply is sent back
  once with the problem, then the call fails with InvalidOutputError.
- Transient failures (429, 408, 5xx, timeouts, lost connections, cut streams, unreadable bodies)
  are retried with exponential backoff and jitter, honouring Retry-After. The SDK's own retries are
  off, so a cancel (task cancellation) is never stuck inside them.
- Every server message is scrubbed of the key before it reaches an error.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import openai

from seqstudio.core.drafting import errors as msg
from seqstudio.core.drafting.errors import (
    InvalidOutputError,
    ModelRefusedError,
    OutputProblem,
    ProviderAuthError,
    ProviderRequestError,
    ProviderUnavailableError,
    scrub,
)
from seqstudio.core.drafting.schemas import parse_json_reply
from seqstudio.core.drafting.settings import Connection, OutputMode, ProviderSettings
from seqstudio.core.drafting.tokens import TokenUsage, count_tokens

T = TypeVar("T")
Message = dict[str, str]
Sleep = Callable[[float], Awaitable[None]]

BACKOFF_BASE = 0.5  # seconds before the first retry without Retry-After; doubles each time
BACKOFF_CAP = 8.0


@dataclass(frozen=True)
class Structured(Generic[T]):
    value: T
    model: str


@dataclass
class Meter:
    """Tokens spent by one task, over every attempt, kept even when the task fails."""

    usage: TokenUsage = field(default_factory=TokenUsage)

    def add(self, usage: TokenUsage) -> None:
        self.usage = self.usage + usage


@dataclass(frozen=True)
class _Reply:
    text: str
    refusal: str
    finish_reason: str
    usage: TokenUsage
    model: str


class _Transient(Exception):
    """A failure worth another try: `kind` picks the message if the tries run out."""

    def __init__(
        self, kind: str, status: int = 0, reason: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(kind)
        self.kind, self.status, self.reason, self.retry_after = kind, status, reason, retry_after


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: retry-after-ms, retry-after as seconds or an HTTP date."""
    try:
        if "retry-after-ms" in headers:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        return max(0.0, float(value))
    except ValueError:
        pass
    moment = email.utils.parsedate_to_datetime(value) if value else None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class LLMClient:
    """A configured provider. Open one `api()` per draft run, inside that run's event loop."""

    def __init__(
        self,
        connection: Connection,
        settings: ProviderSettings,
        *,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.connection = connection
        self.settings = settings
        self.mode: OutputMode = (
            OutputMode.JSON_SCHEMA
            if settings.output_mode == OutputMode.AUTO
            else OutputMode(settings.output_mode)
        )
        self._sleep = sleep
        self._jitter = jitter

    @property
    def model(self) -> str:
        return self.settings.model

    def api(self) -> openai.AsyncOpenAI:
        """A new SDK client; the caller closes it (`async with`)."""
        return openai.AsyncOpenAI(
            api_key=self.connection.api_key,
            base_url=self.connection.base_url,
            max_retries=0,  # ours below: cancellable, with the reasons a writer can read
            timeout=openai.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout),
        )

    async def structured(
        self,
        api: openai.AsyncOpenAI,
        messages: list[Message],
        schema_name: str,
        schema: dict[str, Any],
        read: Callable[[Any], T],
        meter: Meter,
    ) -> Structured[T]:
        """`read(json)` of the reply; one more try with the problem if it raises OutputProblem."""
        conversation = list(messages)
        for attempt in (1, 2):
            reply = await self._complete(api, conversation, schema_name, schema)
            meter.add(reply.usage)
            if reply.refusal or reply.finish_reason == "content_filter":
                raise ModelRefusedError(reply.refusal or "the provider's content filter stopped the reply")
            try:
                if reply.finish_reason == "length":
                    raise OutputProblem("the reply was cut off at the length limit; write less")
                return Structured(read(parse_json_reply(reply.text)), reply.model or self.model)
            except OutputProblem as problem:
                if attempt == 2:
                    raise InvalidOutputError(str(problem)) from None
                conversation += [
                    {"role": "assistant", "content": reply.text},
                    {
                        "role": "user",
                        "content": f"That reply cannot be used: {problem}. "
                        "Reply again with the whole JSON object only, fixed.",
                    },
                ]
        raise AssertionError("unreachable")

    async def _complete(
        self, api: openai.AsyncOpenAI, messages: list[Message], schema_name: str, schema: dict[str, Any]
    ) -> _Reply:
        attempt = 0
        while True:
            attempt += 1
            mode = self.mode
            try:
                return await self._request(api, mode, messages, schema_name, schema)
            except openai.APIStatusError as error:
                failure = self._classify(error, mode)
                if failure is None:  # the output mode fell back: not a retry
                    attempt -= 1
                    continue
            except openai.APITimeoutError:
                failure = _Transient("timeout")
            except openai.APIConnectionError as error:
                failure = _Transient("connection", reason=scrub(str(error.__cause__ or error), self._key))
            except _Transient as transient:
                failure = transient
            except openai.APIError as error:  # e.g. an error event inside a stream
                failure = _Transient("connection", reason=scrub(str(error), self._key))
            except ValueError:  # the body was not JSON: a proxy's error page, a cut response
                failure = _Transient("connection", reason=msg.UNREADABLE)
            if failure.retry_after is not None and failure.retry_after > self.settings.max_retry_wait:
                raise ProviderUnavailableError(msg.RATE_LIMITED_LONG.format(seconds=failure.retry_after))
            if attempt >= self.settings.max_attempts:
                raise self._gave_up(failure, attempt) from None
            backoff = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)) * (0.5 + self._jitter() / 2)
            await self._sleep(failure.retry_after if failure.retry_after is not None else backoff)

    @property
    def _key(self) -> str:
        return self.connection.api_key

    def _classify(self, error: openai.APIStatusError, mode: OutputMode) -> _Transient | None:
        """None when the output mode was lowered; a _Transient to retry; raises for the rest."""
        status = error.status_code
        message = scrub(_server_message(error), self._key)
        if status in (400, 422) and self.settings.output_mode == OutputMode.AUTO and _about_format(message):
            lower = mode.fallback()
            if self.mode != mode:  # another request already lowered it
                return None
            if lower is not None:
                self.mode = lower
                return None
        if status in (401, 403):
            raise ProviderAuthError(f"{status}: {message}")
        if status == 404:
            where = self.connection.label
            raise ProviderRequestError(msg.MODEL_NOT_FOUND.format(where=where, model=self.model), message)
        if status in (408, 409, 429) or status >= 500:
            return _Transient("status", status, message, retry_after_seconds(error.response.headers))
        raise ProviderRequestError(msg.REQUEST_REFUSED.format(status=status, message=message), message)

    def _gave_up(self, failure: _Transient, attempts: int) -> ProviderUnavailableError:
        if failure.kind == "timeout":
            text = msg.TIMED_OUT.format(attempts=attempts)
        elif failure.kind == "status" and failure.status == 429:
            text = msg.RATE_LIMITED.format(attempts=attempts)
        elif failure.kind == "status":
            text = msg.SERVER_FAILED.format(status=failure.status, attempts=attempts)
        else:
            text = msg.CONNECTION_LOST.format(
                where=self.connection.label, attempts=attempts, reason=failure.reason
            )
        return ProviderUnavailableError(text, failure.reason)

    async def _request(
        self,
        api: openai.AsyncOpenAI,
        mode: OutputMode,
        messages: list[Message],
        schema_name: str,
        schema: dict[str, Any],
    ) -> _Reply:
        sent = list(messages)
        if mode in (OutputMode.JSON_OBJECT, OutputMode.PROMPT):  # the schema travels in the prompt
            quoted = json.dumps(schema)
            sent[-1] = {
                **sent[-1],
                "content": f"{sent[-1]['content']}\n\nReply with one JSON object that "
                f"matches this JSON Schema:\n<json-schema>{quoted}</json-schema>",
            }
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": sent,
            "temperature": self.settings.temperature,
        }
        # OpenAI's newer models reject max_tokens; most compatible servers know only max_tokens
        limit_name = "max_completion_tokens" if self.connection.base_url is None else "max_tokens"
        kwargs[limit_name] = self.settings.max_output_tokens
        if mode == OutputMode.JSON_SCHEMA:
            spec = {"name": schema_name, "schema": schema, "strict": True}
            kwargs["response_format"] = {"type": "json_schema", "json_schema": spec}
        elif mode == OutputMode.JSON_OBJECT:
            kwargs["response_format"] = {"type": "json_object"}
        if self.settings.stream:
            return await self._streamed(api, kwargs, sent)
        response = await api.chat.completions.create(**kwargs)
        if not response.choices:
            raise _Transient("connection", reason=msg.STREAM_CUT)
        choice = response.choices[0]
        text = choice.message.content or ""
        return _Reply(
            text,
            getattr(choice.message, "refusal", None) or "",
            choice.finish_reason or "",
            _usage(response.usage, sent, text),
            response.model or "",
        )

    async def _streamed(self, api: openai.AsyncOpenAI, kwargs: dict[str, Any], sent: list[Message]) -> _Reply:
        stream = await api.chat.completions.create(
            **kwargs, stream=True, stream_options={"include_usage": True}
        )
        parts: list[str] = []
        refusal: list[str] = []
        finish, usage, model = "", None, ""
        async with stream:
            async for chunk in stream:
                model = chunk.model or model
                usage = chunk.usage or usage
                for choice in chunk.choices:
                    parts.append(choice.delta.content or "")
                    refusal.append(getattr(choice.delta, "refusal", None) or "")
                    finish = choice.finish_reason or finish
        text = "".join(parts)
        if not finish:  # the stream ended without saying why: the connection was cut
            raise _Transient("connection", reason=msg.STREAM_CUT)
        return _Reply(text, "".join(refusal), finish, _usage(usage, sent, text), model)


_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "format", "not supported")


def _about_format(message: str) -> bool:
    """Whether a 400 is about the output format (worth a fallback), not e.g. the prompt's length."""
    lower = message.lower()
    return any(word in lower for word in _FORMAT_WORDS)


def _server_message(error: openai.APIStatusError) -> str:
    """The server's own words ({"error": {"message": ...}} or {"message": ...}), else the SDK's."""
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])
    return str(error.message)


def _usage(reported: Any, sent: list[Message], text: str) -> TokenUsage:
    """The server's counts; only where it gives none are tokens counted here (loading the
    tokenizer holds the GIL for ~0.1 s, a visible stall if every draft paid for it)."""
    if reported is not None and getattr(reported, "prompt_tokens", None) is not None:
        return TokenUsage(int(reported.prompt_tokens), int(reported.completion_tokens or 0))
    prompt_estimate = sum(count_tokens(str(m["content"])) + 4 for m in sent)
    return TokenUsage(prompt_estimate, count_tokens(text), estimated=True)
