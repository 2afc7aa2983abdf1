"""The sequence as an n8n workflow (JSON to import): Webhook trigger, then per step a Wait, an IF
for the exit condition and a Send Email with n8n's attribution turned off.

The webhook receives {"email", "first_name", "unsubscribe_url", "placed_order"}; every node reads
the contact from the Webhook node's item (a Send Email node's output replaces `$json`). The IF
nodes read `placed_order`, so a node the user adds before each IF must keep it current.
Node ids are derived from the sequence id, so re-exporting gives the same ids.
"""

from __future__ import annotations

import uuid
from typing import Any

from seqstudio.core.export.rendering import RenderFn
from seqstudio.core.model import Sequence

Json = dict[str, Any]
FIELDS = {
    "first_name": "{{ $('Webhook').item.json.body.first_name }}",
    "email": "{{ $('Webhook').item.json.body.email }}",
    "unsubscribe_url": "{{ $('Webhook').item.json.body.unsubscribe_url }}",
}


def _wait_parameters(seconds: int) -> Json:
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return {"resume": "timeInterval", "amount": seconds // size, "unit": unit}
    return {"resume": "timeInterval", "amount": seconds, "unit": "seconds"}


def _if_parameters(expression: str) -> Json:
    return {
        "conditions": {
            "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "loose"},
            "conditions": [
                {
                    "id": "exit",
                    "leftValue": expression,
                    "rightValue": "",
                    "operator": {"type": "boolean", "operation": "true", "singleValue": True},
                }
            ],
            "combinator": "and",
        },
        "options": {},
    }


def sequence_to_n8n(sequence: Sequence, render: RenderFn) -> Json:
    """The workflow document, inactive, ready for n8n's Import from File."""
    nodes: list[Json] = []
    connections: dict[str, Json] = {}

    def node(name: str, kind: str, version: float, parameters: Json, **extra: Any) -> str:
        x = 200 + 220 * len(nodes)
        nodes.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"seqstudio:{sequence.id}:{name}")),
                "name": name,
                "type": kind,
                "typeVersion": version,
                "position": [x, 300],
                "parameters": parameters,
                **extra,
            }
        )
        return name

    def connect(source: str, target: str, output: int = 0) -> None:
        outputs = connections.setdefault(source, {"main": []})["main"]
        while len(outputs) <= output:
            outputs.append([])
        outputs[output].append({"node": target, "type": "main", "index": 0})

    previous = node(
        "Webhook",
        "n8n-nodes-base.webhook",
        2,
        {
            "httpMethod": "POST",
            "path": f"seqstudio-{sequence.id}",
            "responseMode": "onReceived",
            "options": {},
        },
        webhookId=str(uuid.uuid5(uuid.NAMESPACE_URL, f"seqstudio:{sequence.id}:webhook")),
    )
    output = 0
    if sequence.holdout_percent > 0:
        share = round(sequence.holdout_percent)
        holdout = node(
            f"Holdout {share}%?",
            "n8n-nodes-base.if",
            2,
            _if_parameters(
                "={{ $('Webhook').item.json.body.email.toLowerCase().split('').reduce((h, c) => (h * 31 + c.charCodeAt(0)) "
                f"% 1000003, 7) % 100 < {share} }}}}"
            ),
            notes="Held-out contacts (true) get no email; the split is the same for the same address.",
        )
        connect(previous, holdout)
        previous, output = holdout, 1
    exits = [e.event for e in sequence.exit_conditions]
    brand = sequence.brand
    for step in sorted(sequence.steps, key=lambda s: s.position):
        n = step.position
        wait = node(
            f"Wait {n}", "n8n-nodes-base.wait", 1.1, _wait_parameters(int(step.delay_delta.total_seconds()))
        )
        connect(previous, wait, output)
        previous, output = wait, 0
        if "placed_order" in exits:
            check = node(
                f"Ordered before email {n}?",
                "n8n-nodes-base.if",
                2,
                _if_parameters("={{ $('Webhook').item.json.body.placed_order === true }}"),
                notes="True ends the flow for this contact (exit condition: placed_order).",
            )
            connect(previous, check)
            previous, output = check, 1
        rendered = render(sequence, step, FIELDS)
        send = node(
            f"Email {n}: {step.purpose}",
            "n8n-nodes-base.emailSend",
            2.1,
            {
                "fromEmail": f"{brand.from_name or brand.name} <{brand.from_email}>",
                "toEmail": "={{ $('Webhook').item.json.body.email }}",
                "subject": "=" + rendered.subject,
                "emailFormat": "both",
                "text": "=" + rendered.text,
                "html": "=" + rendered.html,
                "options": {
                    "appendAttribution": False,
                    **({"replyTo": brand.reply_to} if brand.reply_to else {}),
                },
            },
            credentials={"smtp": {"id": "", "name": "SMTP account"}},
        )
        connect(previous, send, output)
        previous, output = send, 0
    return {
        "name": sequence.name,
        "nodes": nodes,
        "connections": connections,
        "active": False,
        "settings": {"executionOrder": "v1"},
        "pinData": {},
        "meta": {"templateCredsSetupCompleted": False},
        "tags": [],
    }
