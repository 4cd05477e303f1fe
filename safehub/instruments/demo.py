"""Synthetic demo assessments, so that person pages and the calibration pages have real rows.

Loaded by `safehub demo` after the people (idempotent: nothing is added twice). Some adults get a
DASH assessment, some older children a child exploitation screening or a missing person risk
assessment, each scored by the real rules. A hidden risk drives both the answers and whether a
later (often high) assessment follows within the year, so that higher bands show more harm
outcomes on the "is it working?" pages. Every row is made up. Also lets the demo administrators
group read instruments and publish new versions.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from safehub.core import demo as core_demo
from safehub.core.models import AuditAction, AuditEvent, User
from safehub.instruments import rules
from safehub.instruments.models import Assessment, InstrumentVersion
from safehub.instruments.services import instruments_load_shipped
from safehub.people.models import ChronologyEvent, Person

JOB = core_demo.DEMO_JOB
SEED = 2027
# Chance that a scored yes_no question is answered yes: base + slope * hidden risk.
YES_CHANCE = {"dash": (0.04, 0.6), "child-exploitation": (0.02, 0.3), "missing-risk": (0.01, 0.12)}
BATCH = 500
Progress = Callable[[str, int, int], None]
ADMIN_PERMISSIONS = ["view_instrument", "view_instrumentversion", "add_instrumentversion"]


def already_loaded() -> int:
    return core_demo.created_by_demo("instruments.assessment")


def _admin_group_permissions() -> None:
    group = Group.objects.filter(name=core_demo.ADMIN_GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="instruments", codename__in=ADMIN_PERMISSIONS)
        )


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    """Assess a sample of the demo people; counts of what was added."""
    instruments_load_shipped()
    _admin_group_permissions()
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    officer = User.objects.filter(username="officer").select_related("agency").first()
    socialcare = User.objects.filter(username="socialcare").select_related("agency").first()
    if officer is None or socialcare is None or not Person.objects.exists():
        return {}
    builder = _Builder(officer, socialcare)
    # A stable order (ids are random UUIDs), so the seeded draws fall on the same people every run.
    people = list(
        Person.objects.filter(date_of_birth__isnull=False).order_by(
            "family_name", "given_name", "middle_names", "date_of_birth", "sex"
        )
    )
    for done, person in enumerate(people, start=1):
        builder.person(person)
        progress("assessed people", done, len(people))
    return builder.save(progress)


class _Builder:
    def __init__(self, officer: User, socialcare: User) -> None:
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.officer = officer
        self.socialcare = socialcare
        self.versions = {
            v.instrument_id: v
            for v in InstrumentVersion.objects.filter(is_current=True).select_related("instrument")
        }
        self.recorded = dict(
            ChronologyEvent.objects.filter(kind="record_created").values_list("person_id", "at")
        )
        self.assessments: list[Assessment] = []
        self.chronology: list[ChronologyEvent] = []

    def person(self, person: Person) -> None:
        age = person.age or 0
        risk = self.rng.random() ** 1.5  # most people low, a few high
        if 18 <= age < 70 and self.rng.random() < 0.08:
            self.series(person, "dash", self.officer, risk)
        elif 10 <= age < 18 and self.rng.random() < 0.12:
            kind = "child-exploitation" if self.rng.random() < 0.6 else "missing-risk"
            self.series(person, kind, self.socialcare if kind == "child-exploitation" else self.officer, risk)

    def series(self, person: Person, instrument_id: str, assessor: User, risk: float) -> None:
        """A first assessment and, more likely the higher the risk, a worse one later."""
        earliest = max(self.now - timedelta(days=730), self.recorded.get(person.pk, person.created_at))
        span = max(1, int((self.now - earliest).total_seconds() // 3600))
        first = earliest + timedelta(hours=self.rng.randint(0, span))
        self.assess(person, instrument_id, assessor, risk, first)
        if self.rng.random() < 0.08 + 0.7 * risk:
            later = first + timedelta(days=self.rng.randint(14, 420))
            if later < self.now:
                self.assess(person, instrument_id, assessor, min(1.0, risk + 0.35), later)

    def answers(self, definition: rules.Definition, risk: float, age: int) -> dict[str, str]:
        answers: dict[str, str] = {}
        base, slope = YES_CHANCE[definition.id]
        chance = base + slope * risk
        for question in definition.questions:
            if question.answer_type == "yes_no":
                if question.id in ("under_13", "learning_disability"):
                    answers[question.id] = "yes" if self.rng.random() < 0.1 else "no"
                elif question.level_if_yes == "high" and question.weight == 0:
                    answers[question.id] = "yes" if self.rng.random() < chance / 6 else "no"
                else:
                    roll = self.rng.random()
                    answers[question.id] = "yes" if roll < chance else ("not_known" if roll > 0.97 else "no")
            elif question.id == "age_group":
                answers[question.id] = (
                    "child_under_12" if age < 12 else "child_12_to_17" if age < 18 else "adult"
                )
            elif question.answer_type == "choice":
                options = [option for option in question.options if option.value != "not_known"]
                index = min(len(options) - 1, int(self.rng.random() * risk * len(options)))
                answers[question.id] = options[index].value
            elif question.answer_type == "level":
                answers[question.id] = self.rng.choices(rules.LEVEL_VALUES, weights=[1 - risk, 0.6, risk])[0]
        return answers

    def assess(self, person: Person, instrument_id: str, assessor: User, risk: float, at: datetime) -> None:
        version = self.versions[instrument_id]
        definition = version.parsed
        answers = self.answers(definition, risk, person.age or 0)
        result = rules.score(definition, answers)
        assessment = Assessment(
            person=person,
            instrument_version=version,
            answers=answers,
            score=result.score,
            computed_level=result.computed_level,
            level=result.level,
            triggers=list(result.triggers),
            reasons=list(result.reasons),
            assessor=assessor,
            assessor_agency=assessor.agency,
            assessed_at=at,
        )
        self.assessments.append(assessment)
        detail = f" ({result.score} yes)" if definition.method == "count_yes" else ""
        if definition.method == "weighted_sum":
            detail = f" (score {result.score})"
        self.chronology.append(
            ChronologyEvent(
                person=person,
                kind="assessment",
                at=at,
                summary=f"{definition.record_title}: {result.label[0].lower()}{result.label[1:]}{detail}",
                source_type="instruments.assessment",
                source_id=str(assessment.pk),
                recorded_by_agency=assessor.agency,
            )
        )

    def save(self, progress: Progress) -> dict[str, Any]:
        events = [
            AuditEvent(
                at=self.now,
                action=AuditAction.CREATE,
                object_type="instruments.assessment",
                object_id=str(a.pk),
                person_id=a.person_id,
                fields=["answers", "level", "score", "triggers"],
                actor=None,
                actor_label=JOB,
                actor_agency_name="",
                via="job",
            )
            for a in self.assessments
        ]
        groups = [
            ("assessments", Assessment, self.assessments),
            ("chronology_events", ChronologyEvent, self.chronology),
            ("audit_events", AuditEvent, events),
        ]
        total = sum(len(rows) for _, _, rows in groups)
        done = 0
        for _, model, rows in groups:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                model.objects.bulk_create(batch)
                done += len(batch)
                progress("saving assessments", done, total)
        return {label: len(rows) for label, _, rows in groups}
