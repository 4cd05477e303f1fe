"""Demo data for person matching: a few duplicate person records across Leeds agencies, and a
linked partner extract from the health partner (some rows auto-linked, some in the review queue,
some not in the index, two bad rows reported). Synthetic only: built from the demo people.

Idempotent (the audit trail is the sentinel); `small` is fast.
"""

from __future__ import annotations

import csv
import io
import random
from typing import Any

from django.db import transaction

from safehub.core import audit
from safehub.core import demo as core_demo
from safehub.core.models import Agency, AgencyKind, AuditAction, District, User
from safehub.core.roles import Role
from safehub.linkage import services
from safehub.people.models import Address, Person

SIZES = {"small": 30, "full": 300}
SEED = 909
Progress = core_demo.Progress


def already_loaded() -> int:
    return core_demo.created_by_demo("linkage.partnerextract")


def _typo(rng: random.Random, value: str) -> str:
    if len(value) < 4:
        return value
    i = rng.randrange(1, len(value) - 1)
    return value[:i] + value[i + 1 :]


def load(*, size: str, progress: Progress) -> dict[str, Any]:
    rows = core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    leeds = District.objects.filter(code="leeds").first()
    mash = (
        User.objects.filter(role_grants__role=Role.MASH_MANAGER, district=leeds).order_by("username").first()
    )
    mash = mash or User.objects.filter(role_grants__role=Role.MASH_PRACTITIONER, district=leeds).first()
    if leeds is None or mash is None:
        raise RuntimeError("Load the core and people demo first: linkage needs Leeds and a MASH login")
    rng = random.Random(SEED)
    people = list(
        Person.objects.filter(district=leeds, merged_into__isnull=True, date_of_birth__isnull=False).order_by(
            "pk"
        )[: rows * 3]
    )
    if len(people) < 10:
        raise RuntimeError("Load the people demo first: linkage needs people in Leeds")
    duplicates = _duplicates(rng, people[: max(3, rows // 10)], leeds, progress)
    extract = _extract(rng, people[rows // 10 :], mash, leeds, rows, progress)
    return {"duplicate_people": duplicates, "extract_rows": extract.total_rows, **extract.summary}


@transaction.atomic
def _duplicates(rng: random.Random, people: list[Person], district: District, progress: Progress) -> int:
    """A second record for each person, held by another Leeds agency, with a dropped letter."""
    agencies = list(Agency.objects.filter(districts=district).exclude(kind=AgencyKind.COMMISSIONER_OFFICE))
    made = 0
    for index, person in enumerate(people):
        other = rng.choice([a for a in agencies if a.pk != person.owning_agency_id] or agencies)
        copy = Person.objects.create(
            owning_agency=other,
            district=district,
            given_name=person.given_name,
            family_name=_typo(rng, person.family_name),
            date_of_birth=person.date_of_birth,
            sex=person.sex,
            ethnicity=person.ethnicity,
        )
        home = person.addresses.filter(to_date__isnull=True).first()
        if home:
            Address.objects.create(person=copy, line1=home.line1, town=home.town, postcode=home.postcode)
        audit.record(core_demo.DEMO_JOB, AuditAction.CREATE, copy, reason="Demo: a duplicate record")
        made += 1
        progress("linkage: duplicate records", index + 1, len(people))
    return made


def _extract(rng, people: list[Person], mash: User, district: District, rows: int, progress: Progress):
    """A health extract: exact copies, noisy copies, new people and two bad rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["reference", "first_name", "surname", "dob", "sex", "postcode", "address", "city"])
    for number in range(rows - 2):
        person = people[number % len(people)]
        home = person.addresses.filter(to_date__isnull=True).first()
        first, last, dob = person.given_name, person.family_name, person.date_of_birth
        kind = number % 3
        if kind == 1:  # noisy: a typo, no address, date written the British way
            last = _typo(rng, last)
            home = None
        if kind == 2:  # not in the index: another name, birthday and no address
            first, last = rng.choice(["Rowan", "Ellis", "Harper", "Quinn"]), f"Newperson{number}"
            dob = dob.replace(day=1) if dob.day > 1 else dob.replace(day=2)
            home = None
        writer.writerow(
            [
                f"NHS-DEMO-{number:04d}",
                first,
                last,
                dob.strftime("%d/%m/%Y") if kind == 1 else dob.isoformat(),
                person.sex if person.sex in ("female", "male") else "",
                home.postcode if home else "",
                home.line1 if home else "",
                home.town if home else "",
            ]
        )
    writer.writerow(["NHS-DEMO-BAD1", "", "Nofirstname", "2010-01-01", "", "", "", ""])
    writer.writerow(["NHS-DEMO-BAD2", "Future", "Birth", "2999-01-01", "", "", "", ""])
    extract = services.extract_check(
        actor=mash,
        district=district,
        partner_name="Leeds community health (demo)",
        partner_kind="health",
        filename="health-extract-demo.csv",
        content=buffer.getvalue().encode(),
    )
    audit.record(core_demo.DEMO_JOB, AuditAction.CREATE, extract, reason="Demo extract")
    return services.extract_accept(
        actor=mash, extract=extract, progress=lambda done, total: progress("linkage: extract", done, total)
    )
