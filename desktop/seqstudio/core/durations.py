"""ISO-8601 durations for step delays.

Only exact units are accepted (weeks, days, hours, minutes): a delay of "P1M" would mean 28 to 31
days depending on the send date, which no ESP schedules the same way, so we reject it with a clear
message instead of guessing. Hand-written because isodate returns calendar durations we would
then have to refuse anyway.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

_PATTERN = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


class DurationError(ValueError):
    """The text is not an exact ISO-8601 duration."""


@lru_cache(maxsize=256)  # pure, and the sequence checks parse every delay on every edit
def parse_duration(text: str) -> timedelta:
    """Parse "PT1H", "P3D", "P1DT12H", "P2W"; raise DurationError with a readable reason."""
    cleaned = text.strip().upper()
    match = _PATTERN.match(cleaned)
    if not match or cleaned in ("P", "PT"):
        if re.match(r"^P(\d+Y|\d+M(?!.*T))", cleaned):
            raise DurationError(f"'{text}' uses years or months; use days or weeks (e.g. P30D)")
        raise DurationError(f"'{text}' is not an ISO-8601 duration such as PT1H, P3D or P1DT12H")
    parts = {name: int(value) for name, value in match.groupdict().items() if value}
    return timedelta(
        weeks=parts.get("weeks", 0),
        days=parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )


def format_duration(delta: timedelta) -> str:
    """The shortest ISO-8601 form of a non-negative timedelta ("PT0S" for zero)."""
    if delta < timedelta(0):
        raise DurationError("a delay cannot be negative")
    total = int(delta.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    date_part = f"{days}D" if days else ""
    time_part = "".join(
        f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value
    )
    if not date_part and not time_part:
        return "PT0S"
    return "P" + date_part + (f"T{time_part}" if time_part else "")


def describe_offset(offset: timedelta) -> str:
    """A timeline label for time since the trigger: "Day 0 + 1 h", "Day 3", "Day 2 + 6 h 30 min"."""
    days, rest = divmod(int(offset.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    extra = " ".join(
        part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if part
    )
    return f"Day {days}" + (f" + {extra}" if extra else "")


def describe_delay(delay: timedelta) -> str:
    """A short human reading of a delay: "1 h", "2 days", "1 day 12 h", "immediately"."""
    days, rest = divmod(int(delay.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    return " ".join(parts) if parts else "immediately"
