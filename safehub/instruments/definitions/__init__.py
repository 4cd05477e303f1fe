"""The shipped instrument definitions: one JSON file per instrument version.

`<id>.json` is the first version; later shipped versions go in `<id>.v<N>.json`. Every file is
read by `shipped()`, which the CLI (`safehub assess`) and the loader (`load_instruments`) share.
This directory is a package so that the JSON files ship with the wheel (package data `*.json`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DIRECTORY = Path(__file__).resolve().parent
INSTRUMENT_IDS = ("dash", "child-exploitation", "missing-risk", "thrive")


def shipped() -> dict[str, dict[int, dict[str, Any]]]:
    """{instrument id: {version: definition document}} for every shipped file."""
    found: dict[str, dict[int, dict[str, Any]]] = {}
    for path in sorted(DIRECTORY.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.setdefault(str(data.get("id")), {})[data.get("version")] = data
    return found


def shipped_definition(instrument_id: str, version: int | None = None) -> dict[str, Any]:
    """One shipped document (the highest version when `version` is None); LookupError if absent."""
    versions = shipped().get(instrument_id)
    if not versions:
        raise LookupError(f"Unknown instrument {instrument_id!r}: use one of {', '.join(sorted(shipped()))}")
    if version is None:
        return versions[max(versions)]
    if version not in versions:
        have = ", ".join(str(v) for v in sorted(versions))
        raise LookupError(f"{instrument_id} has no shipped version {version} (shipped: {have})")
    return versions[version]
