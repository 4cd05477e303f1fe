"""Where a recommendation came from: apps that create recommendations linked to their own records
(a practice review, a scrutiny panel) register how to link back to such a record, at start-up, so
the tracker imports none of them (ARCHITECTURE.md: imports point one way)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

_URLS: dict[str, Callable[[uuid.UUID], str]] = {}
_LABELS: dict[str, str] = {}
_CAN_OPEN: dict[str, Callable[[Any, uuid.UUID], bool]] = {}


def register(
    object_type: str,
    *,
    label: str,
    url_for: Callable[[uuid.UUID], str],
    can_open: Callable[[Any, uuid.UUID], bool] | None = None,
) -> None:
    """`object_type` is "app_label.modelname"; `url_for(id)` the page of such a record;
    `can_open(user, id)` whether the user may open it (the link is shown only then)."""
    _URLS[object_type] = url_for
    _LABELS[object_type] = label
    if can_open is not None:
        _CAN_OPEN[object_type] = can_open


def link_for(object_type: str, object_id: uuid.UUID | None, user: Any = None) -> tuple[str, str] | None:
    """(label, url) of a linked source record the user may open, or None (no link, the app is not
    installed, or the record is out of the user's scope)."""
    if not object_type or object_id is None or object_type not in _URLS:
        return None
    check = _CAN_OPEN.get(object_type)
    if check is not None and (user is None or not check(user, object_id)):
        return None
    return _LABELS[object_type], _URLS[object_type](object_id)
