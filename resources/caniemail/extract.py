"""Rebuild css-support.json beside this script from a checkout of hteumeuleu/caniemail (MIT).

Run: python resources/caniemail/extract.py PATH/TO/caniemail COMMIT > resources/caniemail/css-support.json

For each CSS feature the css-support check looks for, it keeps the latest verdict caniemail
records for each major client and platform: "y" supported, "a" partial, "n" not supported.
Only those few features ship with the app; the LICENSE beside the JSON is caniemail's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

FEATURES = ("css-display-flex", "css-display-grid", "css-position", "css-variables")
CLIENTS = {
    "apple-mail": ("macos", "ios"),
    "gmail": ("desktop-webmail", "ios", "android", "mobile-webmail"),
    "outlook": ("windows", "windows-mail", "macos", "outlook-com", "ios", "android"),
    "yahoo": ("desktop-webmail", "ios", "android"),
    "samsung-email": ("android",),
}


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8").split("---", 2)[1]
    loaded = yaml.safe_load(text.replace("\t", "    "))
    assert isinstance(loaded, dict)
    return loaded


def _latest(versions: dict[str, str]) -> str:
    # caniemail lists versions oldest first; the last entry is the latest test
    verdict = list(versions.values())[-1]
    return verdict.split()[0][0]


def extract(root: Path, commit: str) -> dict[str, object]:
    features: dict[str, object] = {}
    for name in FEATURES:
        data = _front_matter(root / "_features" / f"{name}.md")
        stats = data["stats"]
        assert isinstance(stats, dict)
        support: dict[str, str] = {}
        for client, platforms in CLIENTS.items():
            for platform in platforms:
                versions = stats.get(client, {}).get(platform)
                if versions:
                    support[f"{client}/{platform}"] = _latest(versions)
        features[name] = {
            "title": data["title"],
            "url": f"https://www.caniemail.com/features/{name}/",
            "last_test_date": data.get("last_test_date", ""),
            "support": support,
        }
    return {
        "source": "https://github.com/hteumeuleu/caniemail",
        "commit": commit,
        "licence": "MIT, (c) 2019 Remi Parmentier; see LICENSE beside this file",
        "features": features,
    }


if __name__ == "__main__":
    json.dump(extract(Path(sys.argv[1]), sys.argv[2]), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
