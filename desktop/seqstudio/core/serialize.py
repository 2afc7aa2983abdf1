"""Model values to plain dicts and back: the one mapping used by flow files and the library.

`*_from_dict` trusts its input's types (flow files pass JSON Schema validation first; the library
wrote its own rows) and fills defaults for what is missing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from seqstudio.core.model import (
    WEEKDAYS,
    Brand,
    BrandColors,
    Cta,
    DiscountCode,
    Email,
    ExitCondition,
    OfferFacts,
    Product,
    SendWindow,
    Sequence,
    SequenceKind,
    Step,
    StepStatus,
    Trigger,
    UtmDefaults,
)

Json = dict[str, Any]


def brand_to_dict(brand: Brand) -> Json:
    return {
        "name": brand.name,
        "from_name": brand.from_name,
        "from_email": brand.from_email,
        "reply_to": brand.reply_to,
        "postal_address": brand.postal_address,
        "voice_notes": brand.voice_notes,
        "words_to_avoid": list(brand.words_to_avoid),
        "sample_copy": brand.sample_copy,
        "colors": {
            "primary": brand.colors.primary,
            "background": brand.colors.background,
            "text": brand.colors.text,
            "accent": brand.colors.accent,
        },
        "logo_url": brand.logo_url,
        "language": brand.language,
    }


def brand_from_dict(data: Json) -> Brand:
    colors = data.get("colors") or {}
    return Brand(
        name=str(data.get("name", "")),
        from_name=data.get("from_name", ""),
        from_email=data.get("from_email", ""),
        reply_to=data.get("reply_to", ""),
        postal_address=data.get("postal_address", ""),
        voice_notes=data.get("voice_notes", ""),
        words_to_avoid=tuple(data.get("words_to_avoid") or ()),
        sample_copy=data.get("sample_copy", ""),
        colors=BrandColors(**{k: v for k, v in colors.items() if k in BrandColors.__dataclass_fields__}),
        logo_url=data.get("logo_url", ""),
        language=data.get("language", "en"),
    )


def offer_to_dict(offer: OfferFacts) -> Json:
    return {
        "products": [
            {
                "name": p.name,
                "price": p.price,
                "currency": p.currency,
                "url": p.url,
                "description": p.description,
            }
            for p in offer.products
        ],
        "discount_codes": [
            {
                "code": c.code,
                "description": c.description,
                "expires": c.expires.isoformat() if c.expires else None,
            }
            for c in offer.discount_codes
        ],
        "notes": list(offer.notes),
    }


def offer_from_dict(data: Json) -> OfferFacts:
    return OfferFacts(
        products=tuple(
            Product(
                name=p["name"],
                price=str(p.get("price", "") or ""),
                currency=p.get("currency", "USD"),
                url=p.get("url", ""),
                description=p.get("description", ""),
            )
            for p in data.get("products") or ()
        ),
        discount_codes=tuple(
            DiscountCode(
                code=c["code"],
                description=c.get("description", ""),
                expires=_date(c.get("expires")),
            )
            for c in data.get("discount_codes") or ()
        ),
        notes=tuple(data.get("notes") or ()),
    )


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):  # YAML reads an unquoted 2026-12-31 as a date already
        return value
    return date.fromisoformat(str(value))


def email_to_dict(email: Email) -> Json:
    return {
        "subject": email.subject,
        "preheader": email.preheader,
        "body": email.body,
        "cta": {"label": email.cta.label, "url": email.cta.url},
    }


def email_from_dict(data: Json) -> Email:
    cta = data.get("cta") or {}
    return Email(
        subject=data.get("subject", ""),
        preheader=data.get("preheader", ""),
        body=data.get("body", ""),
        cta=Cta(label=cta.get("label", ""), url=cta.get("url", "")),
    )


def step_to_dict(step: Step) -> Json:
    return {
        "id": step.id,
        "position": step.position,
        "delay": step.delay,
        "purpose": step.purpose,
        "guidance": step.guidance,
        "status": step.status.value,
        "email": email_to_dict(step.email),
    }


def step_from_dict(data: Json, position: int) -> Step:
    return Step(
        id=data["id"],
        position=data.get("position", position),
        delay=data["delay"],
        purpose=data["purpose"],
        guidance=data.get("guidance", ""),
        email=email_from_dict(data.get("email") or {}),
        status=StepStatus(data.get("status", StepStatus.EMPTY.value)),
    )


def settings_to_dict(sequence: Sequence) -> Json:
    """Everything about a sequence except its identity, brand, offer and steps."""
    window = sequence.send_window
    return {
        "audience": sequence.audience,
        "trigger": {
            "event": sequence.trigger.event,
            "description": sequence.trigger.description,
            "days_since_last_order": sequence.trigger.days_since_last_order,
            "filters": list(sequence.trigger.filters),
        },
        "entry_filters": list(sequence.entry_filters),
        "exit_conditions": [
            {"event": e.event, "description": e.description} for e in sequence.exit_conditions
        ],
        "reentry_cooldown": sequence.reentry_cooldown,
        "holdout_percent": sequence.holdout_percent,
        "send_window": {
            "days": list(window.days),
            "start_hour": window.start_hour,
            "end_hour": window.end_hour,
            "timezone": window.timezone,
        },
        "utm": {
            "source": sequence.utm.source,
            "medium": sequence.utm.medium,
            "campaign": sequence.utm.campaign,
        },
    }


def trigger_from_dict(data: Json) -> Trigger:
    return Trigger(
        event=data["event"],
        description=data.get("description", ""),
        days_since_last_order=data.get("days_since_last_order"),
        filters=tuple(data.get("filters") or ()),
    )


def exits_from_list(items: list[Json]) -> tuple[ExitCondition, ...]:
    return tuple(ExitCondition(event=e["event"], description=e.get("description", "")) for e in items)


def send_window_from_dict(data: Json) -> SendWindow:
    return SendWindow(
        days=tuple(data.get("days") or WEEKDAYS),
        start_hour=data.get("start_hour", 8),
        end_hour=data.get("end_hour", 20),
        timezone=data.get("timezone", "contact"),
    )


def sequence_to_dict(sequence: Sequence) -> Json:
    """The flow-file body of a sequence (without the `format` header)."""
    head: Json = {
        "id": sequence.id,
        "name": sequence.name,
        "kind": sequence.kind.value,
        "language": sequence.language,
        "blueprint": sequence.blueprint,
        "brand": brand_to_dict(sequence.brand),
        "offer": offer_to_dict(sequence.offer),
    }
    settings = settings_to_dict(sequence)
    return {**head, **settings, "steps": [step_to_dict(step) for step in sequence.steps]}


def sequence_from_dict(data: Json) -> Sequence:
    utm = data.get("utm") or {}
    return Sequence(
        id=data["id"],
        kind=SequenceKind(data["kind"]),
        name=data["name"],
        language=data.get("language", "en"),
        blueprint=data.get("blueprint", ""),
        brand=brand_from_dict(data.get("brand") or {}),
        offer=offer_from_dict(data.get("offer") or {}),
        audience=data.get("audience", ""),
        trigger=trigger_from_dict(data.get("trigger") or {"event": ""}),
        entry_filters=tuple(data.get("entry_filters") or ()),
        exit_conditions=exits_from_list(data.get("exit_conditions") or []),
        reentry_cooldown=data.get("reentry_cooldown", "P30D"),
        holdout_percent=float(data.get("holdout_percent", 0.0)),
        send_window=send_window_from_dict(data.get("send_window") or {}),
        utm=UtmDefaults(**{k: v for k, v in utm.items() if k in UtmDefaults.__dataclass_fields__}),
        steps=tuple(step_from_dict(step, index + 1) for index, step in enumerate(data.get("steps") or ())),
    )
