"""What each drafting call must return, as JSON Schemas, and the tolerant reading of a reply.

The schemas stay within what OpenAI's strict structured outputs accept (types, required,
additionalProperties false); lengths and other rules are checked here, so a server without schema
support is held to the same rules. Every check raises OutputProblem with a sentence the model
can act on when it is asked once more.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import jsonschema

from seqstudio.core.drafting.errors import OutputProblem
from seqstudio.core.model import Cta, Email

SUBJECT_MAX = 90
PREHEADER_MAX = 150
BODY_MIN_WORDS = 25


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_TEXT = {"type": "string"}

EMAIL_SCHEMA = _object(
    {"subject": _TEXT, "preheader": _TEXT, "body_markdown": _TEXT, "cta_label": _TEXT, "cta_url": _TEXT}
)
PLAN_SCHEMA = _object(
    {
        "steps": {
            "type": "array",
            "items": _object({"position": {"type": "integer"}, "angle": _TEXT, "summary": _TEXT}),
        }
    }
)
SUBJECTS_SCHEMA = _object({"subjects": {"type": "array", "items": _TEXT}})
REWRITE_SCHEMA = _object({"text": _TEXT})

_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")
_THINKING = re.compile(r"<think>.*?</think>", re.S)


def parse_json_reply(text: str) -> Any:
    """The JSON in a reply: as is, or inside a code fence, or the outermost {...} in chatter."""
    cleaned = _FENCE.sub("", _THINKING.sub("", text).strip()).strip()
    try:
        return json.loads(cleaned)
    except ValueError as error:
        problem = f"the reply is not valid JSON ({error.args[0]})"
    start, end = cleaned.find("{"), cleaned.rfind("}")
    if start != -1 and end > start:
        try:
            return json.loads(cleaned[start : end + 1])
        except ValueError as error:
            problem = f"the reply is not valid JSON ({error.args[0]})"
    elif start == -1:
        problem = "the reply contains no JSON object"
    raise OutputProblem(problem)


def check_schema(data: Any, schema: dict[str, Any]) -> None:
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "the object"
        raise OutputProblem(f"{where}: {error.message}") from None


def email_from_reply(data: Any, allowed_urls: tuple[str, ...]) -> Email:
    """An Email from a step reply; rejects empty or overlong parts and links that are not ours."""
    check_schema(data, EMAIL_SCHEMA)
    subject = " ".join(data["subject"].split())
    preheader = " ".join(data["preheader"].split())
    body = data["body_markdown"].strip()
    if not subject:
        raise OutputProblem("subject is empty")
    if len(subject) > SUBJECT_MAX:
        raise OutputProblem(f"subject is {len(subject)} characters; keep it under {SUBJECT_MAX}")
    if len(preheader) > PREHEADER_MAX:
        raise OutputProblem(f"preheader is {len(preheader)} characters; keep it under {PREHEADER_MAX}")
    if len(body.split()) < BODY_MIN_WORDS:
        raise OutputProblem(f"body_markdown has {len(body.split())} words; write at least {BODY_MIN_WORDS}")
    url = data["cta_url"].strip()
    if url and allowed_urls and url not in allowed_urls:
        raise OutputProblem(f"cta_url {url!r} is not one of the given links: {', '.join(allowed_urls)}")
    return Email(subject=subject, preheader=preheader, body=body, cta=Cta(data["cta_label"].strip(), url))


@dataclass(frozen=True)
class PlannedStep:
    position: int
    angle: str
    summary: str


def plan_from_reply(data: Any, positions: tuple[int, ...]) -> tuple[PlannedStep, ...]:
    check_schema(data, PLAN_SCHEMA)
    steps = tuple(PlannedStep(s["position"], s["angle"].strip(), s["summary"].strip()) for s in data["steps"])
    missing = sorted(set(positions) - {s.position for s in steps})
    if missing:
        raise OutputProblem(f"steps is missing positions {missing}")
    return steps


def subjects_from_reply(data: Any, count: int) -> tuple[str, ...]:
    check_schema(data, SUBJECTS_SCHEMA)
    subjects = tuple(dict.fromkeys(" ".join(s.split()) for s in data["subjects"] if s.strip()))
    if len(subjects) < count:
        raise OutputProblem(f"subjects has {len(subjects)} different lines; give {count}")
    too_long = [s for s in subjects if len(s) > SUBJECT_MAX]
    if too_long:
        raise OutputProblem(f"{too_long[0]!r} is over {SUBJECT_MAX} characters")
    return subjects[:count]


def rewrite_from_reply(data: Any) -> str:
    check_schema(data, REWRITE_SCHEMA)
    text: str = data["text"].strip()
    if not text:
        raise OutputProblem("text is empty")
    return text
