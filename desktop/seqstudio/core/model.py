"""The sequence model: plain, frozen values shared by storage, drafting, tells, render and export.

Nothing here touches a database, a file or the network. Use `dataclasses.replace` to derive an
edited value; `validate_sequence` says what is wrong, field by field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from seqstudio.core.durations import parse_duration

STEP_COUNT = 6
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SequenceKind(StrEnum):
    WELCOME = "welcome"
    CART_ABANDONMENT = "cart_abandonment"
    WIN_BACK = "win_back"

    @property
    def label(self) -> str:
        return {"welcome": "Welcome", "cart_abandonment": "Cart abandonment", "win_back": "Win-back"}[
            self.value
        ]


class StepStatus(StrEnum):
    EMPTY = "empty"
    DRAFTED = "drafted"
    REVISED = "revised"
    APPROVED = "approved"


@dataclass(frozen=True)
class BrandColors:
    primary: str = "#1f6feb"
    background: str = "#ffffff"
    text: str = "#1f2328"
    accent: str = "#f0f4f8"


@dataclass(frozen=True)
class Brand:
    name: str
    from_name: str = ""
    from_email: str = ""
    reply_to: str = ""
    postal_address: str = ""
    voice_notes: str = ""
    words_to_avoid: tuple[str, ...] = ()
    sample_copy: str = ""
    colors: BrandColors = field(default_factory=BrandColors)
    logo_url: str = ""
    language: str = "en"


@dataclass(frozen=True)
class Product:
    name: str
    price: str = ""  # a decimal string ("49.00"): prices are facts to quote, never floats to round
    currency: str = "USD"
    url: str = ""
    description: str = ""


@dataclass(frozen=True)
class DiscountCode:
    code: str
    description: str = ""  # what it gives, in the brand's words: "15% off your first order"
    expires: date | None = None


@dataclass(frozen=True)
class OfferFacts:
    """The only facts a draft may state: products, prices, codes and their expiry, plus notes
    such as "Free shipping over $50"."""

    products: tuple[Product, ...] = ()
    discount_codes: tuple[DiscountCode, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cta:
    label: str = ""
    url: str = ""


@dataclass(frozen=True)
class Email:
    subject: str = ""
    preheader: str = ""
    body: str = ""  # Markdown
    cta: Cta = field(default_factory=Cta)


@dataclass(frozen=True)
class Step:
    id: str
    position: int  # 1..6
    delay: str  # ISO-8601, from the previous step (step 1: from the trigger)
    purpose: str
    guidance: str = ""
    email: Email = field(default_factory=Email)
    status: StepStatus = StepStatus.EMPTY

    @property
    def delay_delta(self) -> timedelta:
        return parse_duration(self.delay)


@dataclass(frozen=True)
class Trigger:
    event: str  # subscribed | checkout_started | last_order_age, or a user blueprint's own
    description: str = ""
    days_since_last_order: int | None = None  # win-back only: when the flow starts
    filters: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExitCondition:
    event: str  # placed_order | unsubscribed | clicked | ...
    description: str = ""


@dataclass(frozen=True)
class SendWindow:
    days: tuple[str, ...] = WEEKDAYS
    start_hour: int = 8
    end_hour: int = 20
    timezone: str = "contact"  # the contact's local time, or an IANA name


@dataclass(frozen=True)
class UtmDefaults:
    source: str = "seqstudio"
    medium: str = "email"
    campaign: str = "{sequence}"  # {sequence} and {step} are filled in at export


@dataclass(frozen=True)
class Sequence:
    id: str
    kind: SequenceKind
    name: str
    brand: Brand
    steps: tuple[Step, ...]
    language: str = "en"
    offer: OfferFacts = field(default_factory=OfferFacts)
    audience: str = ""
    trigger: Trigger = field(default_factory=lambda: Trigger(event="subscribed"))
    entry_filters: tuple[str, ...] = ()
    exit_conditions: tuple[ExitCondition, ...] = ()
    reentry_cooldown: str = "P30D"
    holdout_percent: float = 0.0
    send_window: SendWindow = field(default_factory=SendWindow)
    utm: UtmDefaults = field(default_factory=UtmDefaults)
    blueprint: str = ""  # id of the blueprint it was laid out from

    def step(self, position: int) -> Step:
        for step in self.steps:
            if step.position == position:
                return step
        raise KeyError(position)

    def step_offsets(self) -> list[timedelta]:
        """Time from the trigger to each step's send, in step order."""
        offsets: list[timedelta] = []
        total = timedelta(0)
        for step in sorted(self.steps, key=lambda s: s.position):
            total += step.delay_delta
            offsets.append(total)
        return offsets


def copy_of(sequence: Sequence, name: str) -> Sequence:
    """The same sequence under new ids, so it can live beside the original."""
    steps = tuple(replace(step, id=new_id("st")) for step in sequence.steps)
    return replace(sequence, id=new_id("seq"), name=name, steps=steps)


def new_id(prefix: str) -> str:
    """A stable, readable id: `seq_3f9a1c0b7e2d`, `st_…`."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


class RevisionOrigin(StrEnum):
    BLUEPRINT = "blueprint"
    AI_DRAFT = "ai_draft"
    OFFLINE_DRAFT = "offline_draft"
    HUMAN_EDIT = "human_edit"
    AI_REWRITE = "ai_rewrite"
    RESTORE = "restore"
    IMPORT = "import"

    def describe(self, model: str = "") -> str:
        """ "AI draft (gpt-4o-mini)", "Human edit", ..."""
        label = {
            "blueprint": "From blueprint",
            "ai_draft": "AI draft",
            "offline_draft": "Offline draft",
            "human_edit": "Human edit",
            "ai_rewrite": "AI rewrite",
            "restore": "Restored",
            "import": "Imported",
        }[self.value]
        return f"{label} ({model})" if model else label


@dataclass(frozen=True)
class Revision:
    """One kept state of a step: what it said, when, and where the text came from."""

    id: int
    step_id: str
    created_at: datetime
    origin: RevisionOrigin
    model: str
    step: Step

    @property
    def label(self) -> str:
        return self.origin.describe(self.model)
