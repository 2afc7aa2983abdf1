"""Typed errors of drafting, each with the message a writer sees. Every user-facing drafting message
lives here, so wording stays consistent between the window, the CLI and the tests."""

from __future__ import annotations

import re

from seqstudio.core.errors import StudioError

_KEY_LIKE = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-*.]{6,}")


def scrub(text: str, secret: str | None = None) -> str:
    """`text` with the API key (and anything shaped like one) replaced; use on every server message."""
    if secret:
        text = text.replace(secret, "[redacted]")
    return _KEY_LIKE.sub("[redacted]", text)


class DraftingError(StudioError):
    """Base of the errors a draft can fail with; `user_message` is the per-step reason."""


class PromptTemplateError(DraftingError):
    """A prompt template is broken; the message names the file and the line."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"The prompt template {where} is broken: {problem}", problem)
        self.path = path
        self.line = line


class ProviderConfigError(DraftingError):
    """The provider settings cannot work (a bad base URL, no model)."""


class ProviderAuthError(DraftingError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "The provider rejected the API key. Check it with `seqstudio key status` or in Settings.", detail
        )


class ProviderUnavailableError(DraftingError):
    """Rate limits, server errors, timeouts or a lost connection that outlasted our retries."""


class ProviderRequestError(DraftingError):
    """The provider refused the request itself (an unknown model, a too-long prompt)."""


class ModelRefusedError(DraftingError):
    def __init__(self, refusal: str) -> None:
        super().__init__(f"The model declined to write this: {refusal.strip() or 'no reason given'}", refusal)


class InvalidOutputError(DraftingError):
    """The model's reply did not fit the schema, even after one retry with the error."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"The model's reply was not a usable email, twice: {problem}", problem)


class OutputProblem(ValueError):
    """One reason a reply does not fit; sent back to the model once, then reported."""


class NeedsModelError(DraftingError):
    def __init__(self, task: str) -> None:
        super().__init__(
            f"{task} needs a model: add an API key or an endpoint in Settings "
            "(on the command line: seqstudio key set).",
            task,
        )


TIMED_OUT = "The provider did not answer in time ({attempts} tries)."
RATE_LIMITED = "The provider is rate-limiting requests ({attempts} tries). Wait a minute and retry."
RATE_LIMITED_LONG = "The provider is rate-limiting requests and asks to wait {seconds:.0f} s. Retry later."
SERVER_FAILED = "The provider had a server error ({status}) on {attempts} tries. Retry later."
CONNECTION_LOST = "Could not reach the provider at {where} ({attempts} tries): {reason}"
STREAM_CUT = "the reply stopped before it was complete"
UNREADABLE = "the provider sent a reply that is not valid JSON"
MODEL_NOT_FOUND = "The provider at {where} has no model named '{model}'. Pick another model in Settings."
REQUEST_REFUSED = "The provider refused the request ({status}): {message}"
