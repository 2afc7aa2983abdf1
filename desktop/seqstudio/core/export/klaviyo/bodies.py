"""Request bodies for Klaviyo's API (revision 2026-07-15), shaped after its OpenAPI document:
templates (TemplateCreateHtmlOrDndQuery), the flow (FlowCreateQuery) and its tag.

Remote ids come in as arguments; the dry-run plan passes placeholders such as
"<metric:Started Checkout>" or "<template:st_…>" instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from seqstudio.core.durations import parse_duration
from seqstudio.core.export.rendering import RenderedEmail
from seqstudio.core.model import Sequence, Step

Json = dict[str, Any]
WEEKDAY_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}


@dataclass(frozen=True)
class KlaviyoNames:
    """Names of the account's objects the flow hangs on; ids are looked up by these names."""

    subscribe_list: str = "Newsletter"
    checkout_metric: str = "Started Checkout"
    order_metric: str = "Placed Order"

    @classmethod
    def from_block(cls, block: Json) -> KlaviyoNames:
        names = block.get("names") or {}
        known = {k: str(v) for k, v in names.items() if k in cls.__dataclass_fields__}
        return cls(**known)


_DEFAULT_TAG = re.compile(r"\{\{\s*([\w.]+)\s*\|\s*default\(\s*(['\"])(.*?)\2\s*\)\s*\}\}")
_UNSUBSCRIBE_TAG = re.compile(r"\{\{\s*unsubscribe_url\s*\}\}")


def klaviyo_tags(text: str) -> str:
    """Studio merge tags (Jinja) in Klaviyo's syntax: `{{ first_name | default('there') }}` ->
    `{{ first_name|default:'there' }}`, `{{ unsubscribe_url }}` -> `{% unsubscribe_url %}`."""
    text = _DEFAULT_TAG.sub(lambda m: "{{ " + m.group(1) + "|default:'" + m.group(3) + "' }}", text)
    return _UNSUBSCRIBE_TAG.sub("{% unsubscribe_url %}", text)


def for_klaviyo(rendered: RenderedEmail) -> RenderedEmail:
    return replace(
        rendered,
        subject=klaviyo_tags(rendered.subject),
        preheader=klaviyo_tags(rendered.preheader),
        html=klaviyo_tags(rendered.html),
        text=klaviyo_tags(rendered.text),
    )


def flow_name(sequence: Sequence) -> str:
    """Carries the sequence id, so a flow whose create answer was lost can be found by name."""
    return f"{sequence.name} [{sequence.id}]"


def template_name(sequence: Sequence, step: Step) -> str:
    return f"{sequence.name} [{sequence.id}] {step.position}. {step.purpose}"


def tag_name(sequence: Sequence) -> str:
    return f"seqstudio:{sequence.id}"


def template_create(sequence: Sequence, step: Step, rendered: RenderedEmail) -> Json:
    rendered = for_klaviyo(rendered)
    return {
        "data": {
            "type": "template",
            "attributes": {
                "name": template_name(sequence, step),
                "editor_type": "CODE",
                "html": rendered.html,
                "text": rendered.text,
            },
        }
    }


def template_update(template_id: str, sequence: Sequence, step: Step, rendered: RenderedEmail) -> Json:
    rendered = for_klaviyo(rendered)
    return {
        "data": {
            "type": "template",
            "id": template_id,
            "attributes": {
                "name": template_name(sequence, step),
                "html": rendered.html,
                "text": rendered.text,
            },
        }
    }


def tag_create(sequence: Sequence) -> Json:
    return {"data": {"type": "tag", "attributes": {"name": tag_name(sequence)}}}


def tag_flows(flow_id: str) -> Json:
    return {"data": [{"type": "flow", "id": flow_id}]}


def delay_data(delay: timedelta) -> Json:
    """Klaviyo delays are whole days, hours or minutes: the largest unit that divides evenly."""
    seconds = int(delay.total_seconds())
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return {"unit": unit, "value": seconds // size, "timezone": "profile"}
    return {"unit": "minutes", "value": max(1, round(seconds / 60)), "timezone": "profile"}


def _trigger(sequence: Sequence, ids: dict[str, str]) -> Json:
    if sequence.trigger.event == "subscribed":
        return {"type": "list", "id": ids["list"]}
    metric = "checkout_metric" if sequence.trigger.event == "checkout_started" else "order_metric"
    return {"type": "metric", "id": ids[metric]}


def _exit_filter(sequence: Sequence, ids: dict[str, str]) -> Json | None:
    """An order placed since the flow started takes a profile out of the flow (checked before
    every action, which is what Klaviyo's flow filter does)."""
    if not any(e.event == "placed_order" for e in sequence.exit_conditions):
        return None
    condition = {
        "type": "profile-metric",
        "metric_id": ids["order_metric"],
        "measurement": "count",
        "measurement_filter": {"type": "numeric", "operator": "equals", "value": 0},
        "timeframe_filter": {"type": "date", "operator": "flow-start"},
    }
    return {"condition_groups": [{"conditions": [condition]}]}


def _message(sequence: Sequence, step: Step, template_id: str) -> Json:
    brand, utm = sequence.brand, sequence.utm
    campaign = utm.campaign.replace("{sequence}", sequence.name).replace("{step}", str(step.position))
    return {
        "from_email": brand.from_email or None,
        "from_label": brand.from_name or brand.name,
        "reply_to_email": brand.reply_to or None,
        "subject_line": klaviyo_tags(step.email.subject),
        "preview_text": klaviyo_tags(step.email.preheader),
        "template_id": template_id,
        "smart_sending_enabled": True,
        "transactional": False,
        "add_tracking_params": True,
        "custom_tracking_params": [
            {"param": "utm_source", "value": utm.source},
            {"param": "utm_medium", "value": utm.medium},
            {"param": "utm_campaign", "value": campaign},
        ],
        "name": f"{step.position}. {step.purpose}",
    }


def flow_create(sequence: Sequence, ids: dict[str, str], template_ids: dict[str, str]) -> Json:
    """POST /api/flows: holdout split, then per step a delay (into the send window when it is in
    whole days) and a send-email action in draft. `ids` maps list/checkout_metric/order_metric."""
    actions: list[Json] = []
    window = sequence.send_window
    steps = sorted(sequence.steps, key=lambda s: s.position)
    for step in steps:
        delay = step.delay_delta
        if delay > timedelta(0):
            data = delay_data(delay)
            if data["unit"] == "days":
                data["delay_until_time"] = f"{window.start_hour:02d}:00:00"
                data["delay_until_weekdays"] = [WEEKDAY_NAMES[d] for d in window.days]
            actions.append({"temporary_id": f"delay-{step.position}", "type": "time-delay", "data": data})
        actions.append(
            {
                "temporary_id": f"email-{step.position}",
                "type": "send-email",
                "data": {"message": _message(sequence, step, template_ids[step.id]), "status": "draft"},
            }
        )
    if sequence.trigger.days_since_last_order:  # win-back: the flow starts at the last order
        wait = {"unit": "days", "value": sequence.trigger.days_since_last_order, "timezone": "profile"}
        actions.insert(0, {"temporary_id": "since-last-order", "type": "time-delay", "data": wait})
    for current, following in zip(actions, [*actions[1:], None], strict=True):
        current["links"] = {"next": following["temporary_id"] if following else None}
    entry = actions[0]["temporary_id"]
    if sequence.holdout_percent > 0:
        holdout = {
            "temporary_id": "holdout",
            "type": "conditional-split",
            "links": {"next_if_true": None, "next_if_false": entry},  # the sampled profiles stop here
            "data": {
                "profile_filter": {
                    "condition_groups": [
                        {
                            "conditions": [
                                {"type": "profile-sample", "percentage": round(sequence.holdout_percent)}
                            ]
                        }
                    ]
                }
            },
        }
        actions.insert(0, holdout)
        entry = "holdout"
    cooldown = parse_duration(sequence.reentry_cooldown).days
    definition: Json = {
        "triggers": [_trigger(sequence, ids)],
        "profile_filter": _exit_filter(sequence, ids),
        "actions": actions,
        "entry_action_id": entry,
        "reentry_criteria": {"duration": cooldown, "unit": "day"}
        if cooldown
        else {"duration": 0, "unit": "alltime"},
    }
    return {"data": {"type": "flow", "attributes": {"name": flow_name(sequence), "definition": definition}}}


def required_names(sequence: Sequence, names: KlaviyoNames) -> dict[str, tuple[str, str]]:
    """Which account objects the flow needs: key -> (kind, name), kind 'list' or 'metric'."""
    needed: dict[str, tuple[str, str]] = {}
    if sequence.trigger.event == "subscribed":
        needed["list"] = ("list", names.subscribe_list)
    elif sequence.trigger.event == "checkout_started":
        needed["checkout_metric"] = ("metric", names.checkout_metric)
    else:
        needed["order_metric"] = ("metric", names.order_metric)
    if any(e.event == "placed_order" for e in sequence.exit_conditions):
        needed["order_metric"] = ("metric", names.order_metric)
    return needed
