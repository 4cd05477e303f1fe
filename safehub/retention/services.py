"""Scheduling MoPI reviews, recording review decisions, and disposal.

Disposal removes personal data and keeps the statistics: the person's row stays (anonymised: no
name, contact details or exact date of birth; sex, ethnicity and year of birth are kept for
equality monitoring), every case record stays with its categories, dates and districts, and every
free-text or identifying field on the records about the person is cleared. Which records those are
comes from `people.holdings` (the model registry), so a new module's records are disposed of too.
One audit event and one `Disposal` row (kinds and numbers only) remain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Min
from django.utils import timezone

from safehub.core import audit
from safehub.core.models import AuditAction
from safehub.core.roles import Role
from safehub.people import holdings
from safehub.people.models import (
    Address,
    ChronologyEvent,
    DobPrecision,
    Identifier,
    Marker,
    Person,
    PersonAlias,
    Relationship,
)
from safehub.retention import rules
from safehub.retention.models import Disposal, RetentionGroup, RetentionReview, ReviewStatus

Progress = Callable[[int, int], None]
REMOVED = "[removed on disposal]"
# Apps whose records describe the review itself, not the person: kept as they are.
_KEPT_APPS = {"retention"}


def groups_for(force: Any) -> dict[str, RetentionGroup]:
    """The groups in force: the force's own rows replace the defaults with the same code."""
    groups = {g.code: g for g in RetentionGroup.objects.filter(force=None)}
    if force is not None:
        groups.update({g.code: g for g in RetentionGroup.objects.filter(force=force)})
    return groups


def may_review(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.RECORDS_MANAGER))


def schedule(*, today: date | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Give every person without one a pending review, and move pending due dates when something
    new was recorded. Idempotent: a second run changes nothing. Returns counts."""
    today = today or timezone.localdate()
    last = dict(ChronologyEvent.objects.values("person").annotate(at=Max("at")).values_list("person", "at"))
    first = dict(ChronologyEvent.objects.values("person").annotate(at=Min("at")).values_list("person", "at"))
    markers: dict[Any, set[str]] = {}
    for person_id, kind in Marker.objects.filter(active=True).values_list("person", "kind"):
        markers.setdefault(person_id, set()).add(kind)
    pending = {r.person_id: r for r in RetentionReview.objects.filter(status=ReviewStatus.PENDING)}
    decided: dict[Any, RetentionReview] = {}
    for review in RetentionReview.objects.filter(status=ReviewStatus.RETAINED).order_by("decided_at"):
        decided[review.person_id] = review
    people = Person.objects.filter(merged_into__isnull=True, disposal__isnull=True).select_related(
        "district__force"
    )
    total = people.count()
    counts = {"people": total, "created": 0, "moved": 0, "unchanged": 0}
    group_cache: dict[Any, dict[str, RetentionGroup]] = {}
    with transaction.atomic():
        for number, person in enumerate(people.iterator(chunk_size=2000), start=1):
            force = person.district.force
            if force.pk not in group_cache:
                group_cache[force.pk] = groups_for(force)
            groups = group_cache[force.pk]
            previous = decided.get(person.pk)
            current = pending.get(person.pk)
            decided_code = ""
            if current is not None and current.group_decided:
                decided_code = current.group.code
            elif previous is not None and previous.group_decided:
                decided_code = previous.group.code
            group = (
                groups.get(rules.group_for(markers.get(person.pk, set()), decided_code)) or groups["group-3"]
            )
            last_at = last.get(person.pk) or person.created_at
            last_activity = timezone.localdate(last_at)
            first_activity = timezone.localdate(first.get(person.pk) or person.created_at)
            # A reviewer's next review date stands unless new information starts a later clear period.
            due = rules.review_due(group.as_rule(), last_activity=last_activity)
            if previous is not None and previous.next_review_on:
                due = max(due, previous.next_review_on)
            special = rules.special_consideration(person.date_of_birth, first_activity)
            if current is None:
                RetentionReview.objects.create(
                    person=person,
                    group=group,
                    group_decided=bool(decided_code),
                    last_activity_on=last_activity,
                    due_on=due,
                    special_consideration=special,
                )
                counts["created"] += 1
            elif (current.group_id, current.due_on, current.last_activity_on) != (
                group.pk,
                due,
                last_activity,
            ):
                RetentionReview.objects.filter(pk=current.pk).update(
                    group=group, due_on=due, last_activity_on=last_activity, special_consideration=special
                )
                counts["moved"] += 1
            else:
                counts["unchanged"] += 1
            if progress and (number % 500 == 0 or number == total):
                progress(number, total)
        if counts["created"] or counts["moved"]:
            audit.record(
                "job:retention_schedule",
                AuditAction.UPDATE,
                object_type="retention.retentionreview",
                object_id="schedule",
                reason=f"{counts['created']} review(s) scheduled, {counts['moved']} moved",
            )
    return counts


def review_decide(
    *,
    actor: Any,
    review: RetentionReview,
    decision: str,
    reason: str,
    next_review_on: date | None = None,
    group_code: str = "",
) -> RetentionReview:
    """Retain (with the next review date) or dispose of a person's records; all or nothing."""
    if not may_review(actor):
        raise PermissionDenied("Only records managers decide MoPI reviews")
    if review.status != ReviewStatus.PENDING:
        raise ValidationError({"decision": "This review has already been decided"})
    today = timezone.localdate()
    problems = rules.decision_problems(
        decision=decision, reason=reason, next_review=next_review_on, today=today
    )
    groups = groups_for(review.person.district.force)
    group = review.group
    if group_code and group_code != group.code:
        if group_code not in groups:
            problems["group"] = "Select one of the review groups"
        else:
            group = groups[group_code]
    if not problems and decision == "dispose":
        problem = rules.disposal_problem(group.as_rule(), review.person.date_of_birth, today)
        if problem:
            problems["decision"] = problem
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        review = RetentionReview.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewStatus.PENDING:
            raise ValidationError({"decision": "This review has already been decided"})
        review.group_decided = review.group_decided or group.pk != review.group_id
        review.group = group
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.reason = reason.strip()
        if decision == "retain":
            review.status = ReviewStatus.RETAINED
            review.next_review_on = next_review_on
            review.full_clean()
            review.save()
            audit.record(
                actor, AuditAction.UPDATE, review, fields=["status", "reason", "next_review_on", "group"]
            )
            RetentionReview.objects.create(
                person=review.person,
                group=group,
                group_decided=review.group_decided,
                last_activity_on=review.last_activity_on,
                due_on=next_review_on,
                special_consideration=review.special_consideration,
            )
        else:
            review.status = ReviewStatus.DISPOSED
            review.full_clean()
            review.save()
            audit.record(actor, AuditAction.UPDATE, review, fields=["status", "reason", "group"])
            dispose(actor=actor, review=review)
    return review


def _clear_fields(model: type[models.Model]) -> dict[str, Any]:
    """The values that clear a model's identifying and free-text fields (categories and dates stay)."""
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.unique or f.choices:
            continue
        if isinstance(f, models.CharField | models.TextField):  # includes EmailField, SlugField...
            if isinstance(f, models.SlugField):
                continue
            values[f.name] = "" if f.blank else REMOVED[: f.max_length or None]
        elif isinstance(f, models.BinaryField):
            values[f.name] = b""
        elif isinstance(f, models.FileField):
            values[f.name] = ""
    return values


def dispose(*, actor: Any, review: RetentionReview) -> Disposal:
    """Remove the person's personal data, keep the statistics; called inside review_decide."""
    person = review.person
    removed: dict[str, int] = {}

    def note(label: str, n: int) -> None:
        if n:
            removed[label] = removed.get(label, 0) + n

    for model in (PersonAlias, Identifier, Address, Marker):
        note(model._meta.label, model._base_manager.filter(person=person).delete()[0])
    note(
        "people.Relationship",
        Relationship._base_manager.filter(models.Q(person=person) | models.Q(related_person=person)).delete()[
            0
        ],
    )
    note(
        "people.ChronologyEvent",
        ChronologyEvent._base_manager.filter(person=person).update(summary="Entry removed on disposal"),
    )
    parents: dict[tuple[str, Any], models.Model] = {}
    for model, link in holdings.linking_models():
        if model._meta.app_label in _KEPT_APPS:
            continue
        rows = model._base_manager.filter(**{link.name: person})
        for row in rows:
            for parent in holdings.parents_of(row):
                parents[(parent._meta.label, parent.pk)] = parent
        values = _clear_fields(model)
        if values:
            note(model._meta.label, rows.update(**values))
    disposed = set(Disposal.objects.values_list("person_id", flat=True)) | {person.pk}
    for (label, pk), parent in parents.items():
        if parent._meta.app_label in _KEPT_APPS or not holdings.people_on(parent) <= disposed:
            continue  # someone on this record is still held: its text stays for them
        values = _clear_fields(type(parent))
        if values:
            note(label, type(parent)._base_manager.filter(pk=pk).update(**values))
    year = person.date_of_birth.year if person.date_of_birth else None
    Person._base_manager.filter(pk=person.pk).update(
        given_name="Disposed",
        family_name="record",
        middle_names="",
        date_of_birth=date(year, 1, 1) if year else None,
        dob_precision=DobPrecision.YEAR if year else DobPrecision.EXACT,
        first_language="",
        disability_notes="",
        phone="",
        email="",
    )
    note("people.Person", 1)
    disposal = Disposal.objects.create(
        person=person,
        review=review,
        disposed_at=timezone.now(),
        disposed_by=actor,
        group_code=review.group.code,
        removed=removed,
    )
    audit.record(
        actor,
        AuditAction.DELETE,
        person,
        fields=sorted(removed),
        reason=f"MoPI disposal ({review.group.name}): {review.reason}",
    )
    return disposal
