"""CSS that major mail clients drop, from caniemail's data (MIT; resources/caniemail/).

Only features that break a layout when dropped are looked for: flex and grid layout, absolute,
fixed and sticky positioning, and CSS custom properties. `position: relative` is left alone: a
client that drops it changes nothing unless something inside is positioned, which is flagged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from seqstudio.core.paths import resource_path

# A cheap substring test first: the regexes are only run on CSS that names the property.
_HINTS = {
    "css-display-flex": "flex",
    "css-display-grid": "grid",
    "css-position": "position",
    "css-variables": "--",
}
CSS_HINTS = frozenset(_HINTS.values())
_PATTERNS = {
    "css-display-flex": re.compile(r"(?<![\w-])display\s*:\s*(?:inline-)?flex\b", re.IGNORECASE),
    "css-display-grid": re.compile(r"(?<![\w-])display\s*:\s*(?:inline-)?grid\b", re.IGNORECASE),
    "css-position": re.compile(r"(?<![\w-])position\s*:\s*(?:absolute|fixed|sticky)\b", re.IGNORECASE),
    "css-variables": re.compile(r"var\(\s*--|(?<![\w-])--[a-zA-Z][\w-]*\s*:"),
}
_CLIENT_NAMES = {
    "apple-mail": "Apple Mail",
    "gmail": "Gmail",
    "outlook": "Outlook",
    "yahoo": "Yahoo Mail",
    "samsung-email": "Samsung Email",
}
_PLATFORM_NAMES = {
    "macos": "macOS",
    "ios": "iOS",
    "android": "Android",
    "windows": "Windows",
    "windows-mail": "Windows Mail",
    "outlook-com": "Outlook.com",
    "desktop-webmail": "webmail",
    "mobile-webmail": "mobile webmail",
}


@dataclass(frozen=True)
class CssFeature:
    id: str
    title: str
    url: str
    tested: str
    unsupported: tuple[str, ...]  # "Outlook (Windows)", …
    partial: tuple[str, ...]
    pattern: re.Pattern[str]
    hint: str

    def search(self, css_lower: str) -> re.Match[str] | None:
        """The first use of the feature in `css_lower` (CSS already lower-cased), or None."""
        if self.hint not in css_lower:
            return None
        return self.pattern.search(css_lower)

    def clients_phrase(self) -> str:
        parts = []
        if self.unsupported:
            parts.append("it is dropped by " + ", ".join(self.unsupported))
        if self.partial:
            parts.append("only partly supported by " + ", ".join(self.partial))
        return " and ".join(parts)


def _client_label(key: str) -> str:
    client, platform = key.split("/", 1)
    return f"{_CLIENT_NAMES.get(client, client)} ({_PLATFORM_NAMES.get(platform, platform)})"


def load_features(path: Path | None = None) -> tuple[CssFeature, ...]:
    """The features the css-support check looks for, with the clients that drop them."""
    data = json.loads((path or resource_path("caniemail", "css-support.json")).read_text(encoding="utf-8"))
    features = []
    for feature_id, pattern in _PATTERNS.items():
        entry = data["features"][feature_id]
        support: dict[str, str] = entry["support"]
        features.append(
            CssFeature(
                id=feature_id,
                title=entry["title"],
                url=entry["url"],
                tested=entry["last_test_date"],
                unsupported=tuple(_client_label(k) for k, v in sorted(support.items()) if v == "n"),
                partial=tuple(_client_label(k) for k, v in sorted(support.items()) if v == "a"),
                pattern=pattern,
                hint=_HINTS[feature_id],
            )
        )
    return tuple(features)
