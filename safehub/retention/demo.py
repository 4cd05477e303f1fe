"""Demo MoPI reviews: a few synthetic people last recorded 7–14 years ago, so the queue has work,
then the nightly schedule for everyone.

Reproducible (random.Random(2035)); names from Faker (en_GB, seeded) and entirely made up. Police
own them, so the `records` login reviews them. A second call adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from safehub.core import audit
from safehub.core import demo as core_demo
from safehub.core.models import Agency, AgencyKind, AuditAction, District
from safehub.people import chronology
from safehub.people.models import Marker, MarkerKind, Person
from safehub.retention import services

SIZES = {"small": 8, "full": 40}
SEED = 2035
SENTINEL = "retention.demo"
# (marker, years since last recorded): group 3 due after 6 years, group 2 after 10, group 1 every 10.
SHAPES = [(None, 7), (None, 9), (MarkerKind.VIOLENCE, 12), (MarkerKind.RISK_TO_CHILDREN, 11), (None, 3)]


def already_loaded() -> bool:
    return core_demo.created_by_demo(SENTINEL) > 0


@transaction.atomic
def load(*, size: str, progress) -> dict[str, Any]:
    count = core_demo.check_size(size, SIZES)
    if already_loaded():
        return {"already_loaded": True}
    police = Agency.objects.filter(kind=AgencyKind.POLICE).order_by("code").first()
    districts = list(District.objects.order_by("code"))
    if police is None or not districts:
        raise RuntimeError("Load the core demo first (safehub.core.demo): reviews need the police")
    rng = random.Random(SEED)
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    today = timezone.localdate()
    for number in range(count):
        marker, years = SHAPES[number % len(SHAPES)]
        district = rng.choice(districts)
        last = today - timedelta(days=365 * years + rng.randint(10, 300))
        person = Person.objects.create(
            owning_agency=police,
            district=district,
            given_name=fake.first_name(),
            family_name=fake.last_name(),
            date_of_birth=date(last.year - rng.randint(16, 50), rng.randint(1, 12), rng.randint(1, 28)),
        )
        audit.record(core_demo.DEMO_JOB, AuditAction.CREATE, person)
        at = timezone.make_aware(datetime.combine(last, time(14, 30)))
        chronology.add(
            person, "contact", at, summary="Contact recorded (synthetic, for the MoPI review demo)"
        )
        if marker:
            Marker.objects.create(person=person, kind=marker, note="Synthetic marker", from_date=last)
        progress("Adding people last recorded years ago", number + 1, count)
    counts = services.schedule(progress=lambda done, total: progress("Scheduling MoPI reviews", done, total))
    audit.record(core_demo.DEMO_JOB, AuditAction.CREATE, object_type=SENTINEL, object_id="loaded")
    return {"old records": count, "reviews scheduled": counts["created"]}
