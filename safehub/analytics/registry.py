"""Every app's measures, found by autodiscovery: `<app>.measures.MEASURES` for each installed app.

The dashboard reads other apps only through these declarations (ARCHITECTURE.md, "Measures"). A
measure is anything with `id`, `title`, `definition` and `query(start, end)` (a callable over an
aware period, start inclusive, end exclusive, returning plain rows); optional attributes the
dashboard uses when present: `clock` (or `clocks`: the statutory clock ids it reports timeliness
against), `caveats`, `owner`, `version`, `numerator`, `denominator`. An app installed tomorrow
(protection, slavery, fund, reviews, ...) appears here as soon as its `measures.py` exists.

The person index (people) has no measures module yet; until it has, the analytics app supplies
aggregate-only equality and data-quality measures on its behalf (`people_measures.py`), and stops
doing so the day `safehub.people.measures` appears.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class ModuleMeasure:
    id: str  # "<app label>.<measure id>": unique across apps
    app_label: str
    app_name: str
    local_id: str
    title: str
    definition: str
    query: Callable[[datetime, datetime], Any]
    clocks: tuple[str, ...] = ()
    caveats: str = ""
    owner: str = ""
    version: str = "1"
    numerator: str = ""
    denominator: str = ""


def qualified_id(app_label: str, measure_id: str) -> str:
    return measure_id if measure_id.startswith(f"{app_label}.") else f"{app_label}.{measure_id}"


def _wrap(config, measure) -> ModuleMeasure:
    clocks = getattr(measure, "clocks", None) or ((measure.clock,) if getattr(measure, "clock", None) else ())
    return ModuleMeasure(
        id=qualified_id(config.label, measure.id),
        app_label=config.label,
        app_name=str(config.verbose_name),
        local_id=measure.id,
        title=measure.title,
        definition=measure.definition,
        query=measure.query,
        clocks=tuple(clocks),
        caveats=getattr(measure, "caveats", "") or "",
        owner=getattr(measure, "owner", "") or f"{config.verbose_name} module",
        version=str(getattr(measure, "version", "1")),
        numerator=getattr(measure, "numerator", "") or "",
        denominator=getattr(measure, "denominator", "") or "",
    )


def _discover() -> list[ModuleMeasure]:
    found: list[ModuleMeasure] = []
    labels = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("safehub.") or config.label == "analytics":
            continue
        if not module_has_submodule(config.module, "measures"):
            continue
        module = importlib.import_module(f"{config.name}.measures")
        for measure in getattr(module, "MEASURES", ()):
            found.append(_wrap(config, measure))
        labels.add(config.label)
    if "people" not in labels and apps.is_installed("safehub.people"):
        from safehub.analytics import people_measures

        config = apps.get_app_config("people")
        found.extend(_wrap(config, measure) for measure in people_measures.MEASURES)
    return found


@lru_cache(maxsize=1)
def _cached() -> tuple[ModuleMeasure, ...]:
    measures = _discover()
    ids = [measure.id for measure in measures]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"Measure ids declared twice: {', '.join(duplicates)}")
    return tuple(measures)


def all_measures() -> tuple[ModuleMeasure, ...]:
    return _cached()


def get(measure_id: str) -> ModuleMeasure | None:
    return next((m for m in _cached() if m.id == measure_id), None)


def reset() -> None:
    """Forget the discovered measures (tests that install a fake app)."""
    _cached.cache_clear()
