"""Records that can prompt an assessment (a contact, later a referral or an episode).

Instruments imports no higher app, so each app that links assessments to its records registers
its record type here at start-up: how to tell whether a user may see one, and where to go back to.
The assess page takes `?context=<app.model>:<uuid>` and refuses (404) a context the user cannot see.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404


@dataclass(frozen=True)
class ContextType:
    label: str
    visible: Callable[[Any, uuid.UUID], bool]
    url: Callable[[uuid.UUID], str]


_TYPES: dict[str, ContextType] = {}


def register(
    label: str, *, visible: Callable[[Any, uuid.UUID], bool], url: Callable[[uuid.UUID], str]
) -> None:
    _TYPES[label] = ContextType(label, visible, url)


def parse(user: Any, value: str | None) -> tuple[str, str] | None:
    """`(label, id)` for a `label:uuid` the user may see; None for no context; 404 for anything else."""
    if not value:
        return None
    label, _, raw_id = value.partition(":")
    try:
        pk = uuid.UUID(raw_id)
    except ValueError as exc:
        raise Http404("No such record") from exc
    context_type = _TYPES.get(label)
    if context_type is None or not context_type.visible(user, pk):
        raise Http404("No such record")
    return label, str(pk)


def url_for(context: tuple[str, str] | None) -> str | None:
    if context is None or context[0] not in _TYPES:
        return None
    return _TYPES[context[0]].url(uuid.UUID(context[1]))
