"""A partnership's listing rules: its own stored versions, else the defaults in `core.rules`.

`ruleset_for(id, force)` is what every app calls before `rules.evaluate`; an analyst or an
administrator adds a version (the listing rules workbench at /rules/, the admin, or
`ruleset_version_create`) to change a count or a window.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from safehub.core import audit
from safehub.core.models import AuditAction, Force, RulesetVersion, User
from safehub.core.roles import Role
from safehub.core.rules import DEFAULT_RULESETS, Ruleset, RulesetError, ruleset_from_dict, ruleset_to_dict


class UnknownRuleset(ValueError, KeyError):
    """No default or stored ruleset has this id; the message lists those that do."""

    def __init__(self, ruleset_id: str, known: list[str]) -> None:
        self.ruleset_id = ruleset_id
        self.known = sorted(known)
        super().__init__(f"Unknown ruleset {ruleset_id!r}. Known rulesets: {', '.join(self.known)}")

    def __str__(self) -> str:
        return str(self.args[0])


def _resolve_force(force: Force | str | None) -> Force | None:
    """A Force, its code (Force.DoesNotExist if unknown) or None: the only force if there is one."""
    if isinstance(force, Force):
        return force
    if isinstance(force, str):
        return Force.objects.get(code=force)
    only = list(Force.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def ruleset_for(
    ruleset_id: str, force: Force | str | None = None, *, at: date | datetime | None = None
) -> Ruleset:
    """The ruleset `ruleset_id` as the partnership of `force` runs it on `at` (default today).

    The stored version with the latest effective_from on or before `at` wins (then the highest
    version); with none, the default. `force` None means the only force when exactly one exists.
    UnknownRuleset when neither a default nor a stored version has this id.
    """
    partnership = _resolve_force(force)
    if partnership is not None:
        stored = (
            RulesetVersion.objects.filter(
                force=partnership, ruleset_id=ruleset_id, effective_from__lte=_day(at)
            )
            .order_by("-effective_from", "-version")
            .first()
        )
        if stored is not None:
            return replace(ruleset_from_dict(stored.definition), version=stored.version)
    if ruleset_id in DEFAULT_RULESETS:
        return DEFAULT_RULESETS[ruleset_id]
    raise UnknownRuleset(ruleset_id, known_ruleset_ids(partnership))


def _day(at: date | datetime | None) -> date:
    if at is None:
        return timezone.localdate()
    if isinstance(at, datetime):
        return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    return at


def known_ruleset_ids(force: Force | None = None) -> list[str]:
    stored = (
        set(RulesetVersion.objects.filter(force=force).values_list("ruleset_id", flat=True))
        if force
        else set()
    )
    return sorted(set(DEFAULT_RULESETS) | stored)


def rulesets_stored() -> bool:
    """Whether this database has the ruleset table (False before the first migrate)."""
    return RulesetVersion._meta.db_table in set(connection.introspection.table_names())


def may_change_rules(actor: Any) -> bool:
    """Analysts (who set the numbers) and administrators; a job or command named by a string."""
    if isinstance(actor, str):  # a job or management command, named in the audit trail
        return True
    return (
        isinstance(actor, User)
        and actor.is_active
        and (actor.is_superuser or actor.has_role(Role.ADMIN, Role.ANALYST))
    )


def _require_rule_editor(actor: Any) -> None:
    if not may_change_rules(actor):
        raise PermissionDenied("Only an analyst or an administrator can change the listing rules")


def next_version(force: Force, ruleset_id: str) -> int:
    """The number the partnership's next version of `ruleset_id` gets: after its latest and the default."""
    stored = RulesetVersion.objects.filter(force=force, ruleset_id=ruleset_id)
    latest = stored.aggregate(n=Max("version"))["n"]
    default = DEFAULT_RULESETS.get(ruleset_id)
    return max(latest or 0, default.version if default else 0) + 1


@transaction.atomic
def ruleset_version_create(
    *,
    actor: Any,
    force: Force,
    definition: Any,
    effective_from: date | None = None,
    notes: str = "",
) -> RulesetVersion:
    """Store the partnership's next version of a ruleset (version = latest stored or default + 1).

    `definition` is checked with `rules.ruleset_from_dict`: a ValidationError on `definition`
    lists every problem. The stored definition carries the new version number.
    """
    _require_rule_editor(actor)
    try:
        ruleset = ruleset_from_dict(definition)
    except RulesetError as exc:
        raise ValidationError({"definition": exc.problems}) from None
    Force.objects.select_for_update().filter(pk=force.pk).first()  # one version number at a time
    version = next_version(force, ruleset.id)
    row = RulesetVersion(
        force=force,
        ruleset_id=ruleset.id,
        version=version,
        definition=ruleset_to_dict(replace(ruleset, version=version)),
        created_by=actor if isinstance(actor, User) else None,
        effective_from=effective_from or timezone.localdate(),
        notes=notes.strip(),
    )
    row.full_clean()
    row.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        row,
        fields=["definition", "effective_from", "notes"],
        reason=f"Listing rules {ruleset.id} version {version} for {force.name}",
    )
    return row
