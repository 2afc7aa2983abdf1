from __future__ import annotations

import json
from dataclasses import replace

from seqstudio.core.export.n8n import sequence_to_n8n
from seqstudio.core.export.rendering import default_render
from seqstudio.core.model import Sequence


def _chain(workflow: dict, start: str = "Webhook") -> list[str]:
    """Follow the 'go on' output of each node (the false branch of an IF)."""
    names, current = [start], start
    by_name = {n["name"]: n for n in workflow["nodes"]}
    while current in workflow["connections"]:
        outputs = workflow["connections"][current]["main"]
        branch = 1 if by_name[current]["type"] == "n8n-nodes-base.if" else 0
        current = outputs[branch][0]["node"]
        names.append(current)
    return names


def test_cart_flow_shape(cart: Sequence) -> None:
    workflow = json.loads(json.dumps(sequence_to_n8n(replace(cart, holdout_percent=10.0), default_render())))
    types = [n["type"] for n in workflow["nodes"]]
    assert types[0] == "n8n-nodes-base.webhook"
    assert types.count("n8n-nodes-base.wait") == 6
    assert types.count("n8n-nodes-base.emailSend") == 6
    assert types.count("n8n-nodes-base.if") == 7, "holdout plus an exit check before each email"
    chain = _chain(workflow)
    assert len(chain) == len(workflow["nodes"]), "one path through every node"
    assert chain[1] == "Holdout 10%?" and chain[2] == "Wait 1" and chain[3] == "Ordered before email 1?"
    waits = [n["parameters"] for n in workflow["nodes"] if n["type"] == "n8n-nodes-base.wait"]
    assert waits[0] == {"resume": "timeInterval", "amount": 1, "unit": "hours"}
    assert waits[1] == {"resume": "timeInterval", "amount": 2, "unit": "days"}
    holdout_true = workflow["connections"]["Holdout 10%?"]["main"][0]
    assert holdout_true == [], "held-out contacts stop"
    assert len({n["id"] for n in workflow["nodes"]}) == len(workflow["nodes"])
    assert workflow["active"] is False


def test_emails_have_attribution_off_and_personal_fields(cart: Sequence) -> None:
    workflow = sequence_to_n8n(cart, default_render())
    sends = [n for n in workflow["nodes"] if n["type"] == "n8n-nodes-base.emailSend"]
    for node, step in zip(sends, cart.steps, strict=True):
        parameters = node["parameters"]
        assert parameters["options"]["appendAttribution"] is False
        assert parameters["emailFormat"] == "both"
        assert parameters["subject"] == "=" + step.email.subject
        assert parameters["toEmail"] == "={{ $('Webhook').item.json.body.email }}"
        assert node["credentials"]["smtp"]["name"] == "SMTP account"
    assert "Hi {{ $('Webhook').item.json.body.first_name }}," in sends[0]["parameters"]["text"]


def test_ids_are_stable_across_exports(cart: Sequence) -> None:
    first, second = sequence_to_n8n(cart, default_render()), sequence_to_n8n(cart, default_render())
    assert [n["id"] for n in first["nodes"]] == [n["id"] for n in second["nodes"]]
