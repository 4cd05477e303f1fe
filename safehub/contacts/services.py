"""Writes for contacts. Each takes an actor, runs atomically, validates (errors name the field),
audits, and writes the chronology of each person involved.

Only police call handlers and officers record contacts, grade them, record arrival and raise PPNs;
the district MASH reads them. Operation Encompass is triggered inside the people save path: a
domestic abuse contact with a school-age child linked to a school notifies that school.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safehub.contacts import rules
from safehub.contacts.models import (
    AgeGroup,
    Category,
    Contact,
    ContactPerson,
    EncompassNotification,
    OffenceGroup,
    PublicProtectionNotice,
    ResponseGrade,
    Role,
    ThriveGrading,
)
from safehub.core import audit
from safehub.core.access import can_edit
from safehub.core.models import Agency, AgencyKind, AuditAction, District
from safehub.core.roles import Role as UserRole
from safehub.people import chronology
from safehub.people import rules as people_rules
from safehub.people import services as people_services
from safehub.people.models import IdentifierKind, Person

RECORDING_ROLES = (UserRole.CALL_HANDLER, UserRole.OFFICER)
ENCOMPASS_CLOCK = "encompass"
# What the school's notification (and any email of it) says: no name, no date of birth.
ENCOMPASS_TITLE = "Operation Encompass: a domestic abuse incident involving a pupil"


def encompass_body(reference: str) -> str:
    return f"Police reference {reference}. Open Operation Encompass in Safehub to see the details."


def can_record(user: Any) -> bool:
    """Whether `user` may record contacts and change them (police call handlers and officers)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.has_role(*RECORDING_ROLES)
    )


def _require_recorder(actor: Any) -> None:
    if not can_record(actor):
        raise PermissionDenied("Only police call handlers and officers record contacts")


def _require_edit(actor: Any, contact: Contact) -> None:
    _require_recorder(actor)
    if not can_edit(actor, contact):
        raise PermissionDenied("You can read this contact but not change it")


def grade_table(force: Any) -> QuerySet[ResponseGrade]:
    """The force's response grades, most urgent first; the default table if it has none."""
    own = ResponseGrade.objects.filter(force=force).order_by("order", "code")
    if force is not None and own.exists():
        return own
    return ResponseGrade.objects.filter(force__isnull=True).order_by("order", "code")


def grade_for_band(grades: Iterable[ResponseGrade], band: str) -> ResponseGrade:
    for grade in grades:
        if grade.band == band:
            return grade
    raise ValidationError(
        {"grade": f"The response grade table has no grade for {band}: ask an administrator"}
    )


# --- contacts and their people ------------------------------------------------------------------


@transaction.atomic
def contact_create(
    *,
    actor: Any,
    district: District,
    received_at: datetime,
    channel: str,
    category: str,
    narrative: str,
    location_text: str = "",
    postcode: str = "",
    lsoa_code: str = "",
    offence_at: datetime | None = None,
    offence_group: str = "",
    serious_harm: bool = False,
    people: Iterable[Mapping[str, Any]] = (),
) -> Contact:
    """Record a contact and the people involved, all or nothing.

    Each entry of `people` is {"person": Person (found by search, visible to the actor)} or
    {"new_person": {"district": District, **person fields}}, with "role". Errors about an entry
    name it as "people[<index>].<field>".
    """
    _require_recorder(actor)
    errors: dict[str, str] = {}
    if not actor.agency.districts.filter(pk=district.pk).exists():
        errors["district"] = "Select a district your agency serves"
    now = timezone.now()
    if received_at and received_at > now:
        errors["received_at"] = "The time the contact was received must be now or in the past"
    if offence_at and offence_at > now:
        errors["offence_at"] = "The time it happened must be in the past"
    elif offence_at and received_at and offence_at > received_at:
        errors["offence_at"] = "The time it happened must be the same as or before the time of the call"
    offence_group = offence_group or ""
    if offence_group and offence_group not in OffenceGroup.values:
        errors["offence_group"] = "Select the kind of offence from the list, or leave it blank"
    postcode = people_rules.normalise_postcode(postcode) if postcode else ""
    if postcode and people_rules.postcode_problem(postcode):
        errors["postcode"] = "Enter a real postcode, like LS1 4AP"
    lsoa_code = (lsoa_code or "").strip().upper()
    if rules.lsoa_problem(lsoa_code):
        errors["lsoa_code"] = rules.lsoa_problem(lsoa_code) or ""
    contact = Contact(
        owning_agency=actor.agency,
        district=district,
        received_at=received_at,
        offence_at=offence_at,
        offence_group=offence_group,
        channel=channel,
        category=category,
        narrative=(narrative or "").strip(),
        location_text=(location_text or "").strip(),
        postcode=postcode,
        lsoa_code=lsoa_code,
        serious_harm=serious_harm,
        recorded_by=actor,
    )
    try:
        contact.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    contact.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        contact,
        fields=[
            "received_at",
            "offence_at",
            "offence_group",
            "channel",
            "category",
            "location_text",
            "postcode",
            "lsoa_code",
            "narrative",
            "serious_harm",
        ],
    )
    seen: set[tuple[Any, str]] = set()
    for index, entry in enumerate(people):
        try:
            added = contact_person_add(
                actor=actor,
                contact=contact,
                role=entry.get("role", ""),
                person=entry.get("person"),
                new_person=entry.get("new_person"),
            )
        except ValidationError as exc:
            raise _indexed(exc, index) from exc
        key = (added.person_id, added.role)
        if key in seen:  # pragma: no cover - contact_person_add refuses duplicates first
            raise ValidationError({f"people[{index}].person": "This person is already listed in that role"})
        seen.add(key)
    return contact


def _indexed(exc: ValidationError, index: int) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {f"people[{index}].{field}": messages for field, messages in exc.message_dict.items()}
        )
    return ValidationError({f"people[{index}]": exc.messages})


@transaction.atomic
def contact_person_add(
    *,
    actor: Any,
    contact: Contact,
    role: str,
    person: Person | None = None,
    new_person: Mapping[str, Any] | None = None,
) -> ContactPerson:
    """Add one person to a contact in a role: an existing person (searched for first) or a new one.

    A child present needs a date of birth. On a domestic abuse contact this may notify the
    child's school (Operation Encompass).
    """
    _require_edit(actor, contact)
    if role not in Role.values:
        raise ValidationError({"role": "Select the person's role in the contact"})
    if (person is None) == (new_person is None):
        raise ValidationError({"person": "Select a person from the search results or add a new person"})
    if person is not None:
        if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
            raise ValidationError({"person": "Select a person you can see"})
        if role == Role.CHILD_PRESENT and person.date_of_birth is None:
            raise ValidationError(
                {
                    "date_of_birth": "Add the child's date of birth to their record first: "
                    "a child present needs one"
                }
            )
        if ContactPerson.objects.filter(contact=contact, person=person, role=role).exists():
            raise ValidationError({"person": "This person is already recorded in that role on this contact"})
    else:
        data = dict(new_person or {})
        if role == Role.CHILD_PRESENT and not data.get("date_of_birth"):
            raise ValidationError({"date_of_birth": "Enter the date of birth of the child present"})
        district = data.pop("district", None) or contact.district
        if not actor.agency.districts.filter(pk=district.pk).exists():
            raise ValidationError({"district": "Select a district your agency serves"})
        person = people_services.person_create(actor=actor, district=district, **data)
    link = ContactPerson(contact=contact, person=person, role=role, added_by=actor)
    link.full_clean()
    link.save()
    audit.record(actor, AuditAction.CREATE, link, fields=["person", "role"])
    chronology.add(
        person,
        "contact",
        contact.received_at,
        contact,
        f"{contact.get_category_display()} contact ({link.get_role_display().lower()})",
        agency=actor.agency,
    )
    if contact.category == Category.DOMESTIC:
        encompass_trigger(actor=actor, contact=contact, person=person)
    return link


# --- THRIVE ----------------------------------------------------------------------------------


@transaction.atomic
def thrive_grade(
    *,
    actor: Any,
    contact: Contact,
    grade: ResponseGrade | None = None,
    override_reason: str = "",
    regrade_reason: str = "",
    rcrp_outcome: str = "",
    **elements: str,
) -> ThriveGrading:
    """Grade (or re-grade) a contact: a level and a rationale for each of the six elements.

    `elements` are threat_level, threat_rationale, ... engagement_rationale. The rule in
    `rules.suggest_band` suggests a grade from the force's table; a different `grade` needs an
    `override_reason`. Re-grading keeps the earlier gradings and needs a `regrade_reason`.
    """
    _require_edit(actor, Contact.objects.select_for_update().get(pk=contact.pk))
    expected = {f"{name}_{part}" for name in rules.ELEMENTS for part in ("level", "rationale")}
    unknown = sorted(set(elements) - expected)
    errors: dict[str, str] = {name: "This field cannot be set here" for name in unknown}
    levels: dict[str, str] = {}
    for name in rules.ELEMENTS:
        label = rules.ELEMENT_LABELS[name]
        level = (elements.get(f"{name}_level") or "").strip()
        if level not in rules.LEVELS:
            errors[f"{name}_level"] = f"Select the {label.lower()} level: low, medium or high"
        else:
            levels[name] = level
        if not (elements.get(f"{name}_rationale") or "").strip():
            errors[f"{name}_rationale"] = f"Enter the rationale for the {label.lower()} level"
    rcrp_outcome = rcrp_outcome or ""
    if rules.rcrp_required(contact.category) and not rcrp_outcome:
        errors["rcrp_outcome"] = "Select the Right Care, Right Person outcome for this call"
    from safehub.contacts.models import RcrpOutcome

    if rcrp_outcome and rcrp_outcome not in RcrpOutcome.values:
        errors["rcrp_outcome"] = "Select a Right Care, Right Person outcome from the list"
    sequence = (contact.gradings.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    if sequence > 1 and not (regrade_reason or "").strip():
        errors["regrade_reason"] = "Enter why the contact is being graded again"
    grades = grade_table(contact.district.force)
    if errors:
        raise ValidationError(errors)
    suggested = grade_for_band(grades, rules.suggest_band(levels, rcrp_outcome))
    chosen = grade or suggested
    if chosen.pk not in {g.pk for g in grades}:
        raise ValidationError({"grade": "Select a grade from your force's response grade table"})
    if chosen.pk != suggested.pk and not (override_reason or "").strip():
        raise ValidationError(
            {
                "override_reason": f"Enter why you chose {chosen.name} "
                f"rather than the suggested {suggested.name}"
            }
        )
    if rcrp_outcome in rules.RCRP_NO_POLICE and chosen.attendance:
        raise ValidationError(
            {
                "grade": "Select a grade without police attendance: the Right Care, Right Person "
                "outcome is that police do not attend"
            }
        )
    grading = ThriveGrading(
        contact=contact,
        sequence=sequence,
        suggested_grade=suggested,
        grade=chosen,
        override_reason=(override_reason or "").strip() if chosen.pk != suggested.pk else "",
        regrade_reason=(regrade_reason or "").strip(),
        rcrp_outcome=rcrp_outcome,
        graded_by=actor,
        graded_at=timezone.now(),
        **{key: (value or "").strip() for key, value in elements.items()},
    )
    grading.full_clean()
    grading.save()
    contact.grade = chosen
    contact.rcrp_outcome = rcrp_outcome
    contact.save(update_fields=["grade", "rcrp_outcome", "updated_at"])
    audit.record(actor, AuditAction.CREATE, grading, fields=sorted(expected | {"grade", "rcrp_outcome"}))
    audit.record(actor, AuditAction.UPDATE, contact, fields=["grade", "rcrp_outcome"])
    return grading


# --- arrival ---------------------------------------------------------------------------------


@transaction.atomic
def arrival_record(*, actor: Any, contact: Contact, arrived_at: datetime | None) -> Contact:
    """Record when officers arrived: not before the call, not in the future, once."""
    _require_edit(actor, contact)
    if arrived_at is None:
        raise ValidationError({"arrived_at": "Enter the date and time officers arrived"})
    if contact.arrived_at is not None:
        raise ValidationError({"arrived_at": "The arrival time is already recorded for this contact"})
    if arrived_at < contact.received_at:
        raise ValidationError(
            {"arrived_at": "The arrival time must be the same as or after the time the call was received"}
        )
    if arrived_at > timezone.now():
        raise ValidationError({"arrived_at": "The arrival time must be now or in the past"})
    contact.arrived_at = arrived_at
    contact.arrival_recorded_by = actor
    contact.full_clean()
    contact.save(update_fields=["arrived_at", "arrival_recorded_by", "updated_at"])
    audit.record(actor, AuditAction.UPDATE, contact, fields=["arrived_at"])
    return contact


# --- PPN -------------------------------------------------------------------------------------


@transaction.atomic
def ppn_raise(
    *, actor: Any, contact: Contact, person: Person, concern_type: str, rag: str, summary: str
) -> PublicProtectionNotice:
    """Raise a public protection notice about a person on the contact, for the district MASH."""
    _require_edit(actor, contact)
    if not contact.people.filter(person=person).exists():
        raise ValidationError({"person": "Select a person recorded on this contact"})
    if PublicProtectionNotice.objects.filter(contact=contact, person=person).exists():
        raise ValidationError({"person": "A PPN has already been raised about this person for this contact"})
    now = timezone.now()
    age = rules.age_on(person.date_of_birth, timezone.localdate())
    group = AgeGroup.NOT_KNOWN if age is None else (AgeGroup.CHILD if age < 18 else AgeGroup.ADULT)
    ppn = PublicProtectionNotice(
        owning_agency=actor.agency,
        district=contact.district,
        contact=contact,
        person=person,
        age_group=group,
        concern_type=concern_type,
        rag=rag,
        summary=(summary or "").strip(),
        raised_by=actor,
        raised_at=now,
    )
    ppn.full_clean()
    ppn.save()
    audit.record(actor, AuditAction.CREATE, ppn, fields=["concern_type", "rag", "summary"])
    chronology.add(
        person, "ppn_raised", now, ppn, f"PPN raised: {ppn.get_rag_display().lower()}", agency=actor.agency
    )
    return ppn


# --- Operation Encompass ---------------------------------------------------------------------


def schools_for(person: Person) -> list[Agency]:
    """The schools a child is linked to in Safehub.

    Safehub has no school-attendance record: a child's school is the school agency that issued
    their unique pupil number (an Identifier of kind "upn" whose issuer is a school), or the school
    that holds their record.
    """
    schools = {
        identifier.issuer.pk: identifier.issuer
        for identifier in person.identifiers.filter(
            kind=IdentifierKind.UPN, issuer__kind=AgencyKind.SCHOOL
        ).select_related("issuer")
    }
    if person.owning_agency.kind == AgencyKind.SCHOOL:
        schools.setdefault(person.owning_agency_id, person.owning_agency)
    return sorted(schools.values(), key=lambda agency: agency.name)


def escalation_agency(contact: Contact) -> Agency:
    """Who hears about an unacknowledged Encompass notification: the district's children's social
    care (its MASH), or the police agency that recorded the contact where there is none."""
    csc = (
        Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, districts=contact.district)
        .order_by("name")
        .first()
    )
    return csc or contact.owning_agency


def encompass_trigger(*, actor: Any, contact: Contact, person: Person) -> list[EncompassNotification]:
    """Notify the school of a child of school age (4 to 17 on the incident date) on a DA contact.

    Due before the start of the next school day after the call (clock `encompass`, with the
    partnership's school closures). Each school is told once per contact and child. Not for a
    non-recent report (the abuse more than 12 months before the call): Encompass tells the school
    about last night's incident so it can support the child today, not about one years ago.
    """
    if contact.category != Category.DOMESTIC or contact.is_non_recent:
        return []
    incident_day = timezone.localtime(contact.incident_at).date()
    if not rules.encompass_age(person.date_of_birth, incident_day):
        return []
    from safehub.core import notify
    from safehub.core.clock_settings import effective_clock
    from safehub.core.clocks import due

    force = contact.district.force
    due_at = due(effective_clock(ENCOMPASS_CLOCK, force, incident_day), contact.received_at)
    roles = set(contact.people.filter(person=person).values_list("role", flat=True))
    created = []
    present = rules.child_present(roles)
    for school in schools_for(person):
        existing = EncompassNotification.objects.filter(contact=contact, person=person, school=school).first()
        if existing is not None:
            if present and not existing.child_present:  # added again in a role that was present
                existing.child_present = True
                existing.save(update_fields=["child_present", "updated_at"])
                audit.record(actor, AuditAction.UPDATE, existing, fields=["child_present"])
            continue
        row = EncompassNotification(
            contact=contact,
            person=person,
            school=school,
            due_at=due_at,
            child_name=person.full_name,
            child_date_of_birth=person.date_of_birth,
            incident_at=contact.incident_at,
            child_present=present,
            police_reference=contact.reference,
        )
        row.full_clean(exclude=["notification"])
        row.save()
        from django.urls import reverse

        row.notification = notify.send(
            school,
            row,
            title=ENCOMPASS_TITLE,
            body=encompass_body(contact.reference),
            url=reverse("contacts:encompass"),
            ack_required=True,
            due_at=due_at,
            escalate_to=escalation_agency(contact),
            kind="encompass",
            actor=actor,
        )
        row.save(update_fields=["notification", "updated_at"])
        audit.record(
            actor,
            AuditAction.CREATE,
            row,
            fields=["child_name", "child_date_of_birth", "incident_at", "child_present", "police_reference"],
            reason=f"Operation Encompass notification to {school.name}",
        )
        chronology.add(
            person,
            "encompass_notification",
            timezone.now(),
            row,
            f"Operation Encompass: {school.name} notified",
            agency=actor.agency,
        )
        created.append(row)
    return created


@transaction.atomic
def encompass_acknowledge(*, actor: Any, row: EncompassNotification) -> EncompassNotification:
    """The school acknowledges a notification addressed to it."""
    if not (actor.has_person_level_access and actor.agency_id == row.school_id):
        raise PermissionDenied("Only the school the notification was sent to can acknowledge it")
    from safehub.core import notify

    if row.notification is not None:
        notify.acknowledge(row.notification, actor=actor)
    audit.record(actor, AuditAction.UPDATE, row, fields=["acknowledged"])
    return row
