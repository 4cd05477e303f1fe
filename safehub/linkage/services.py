"""Writes of person matching. Each takes an actor, runs atomically, validates, and audits.

- search before create: `candidate_search`, `match_choose`, `person_create_checked`, `mash_ask`
- partner extracts: `extract_check` (nothing linked), `extract_accept` (links a committed chunk
  at a time, so a run that stops is carried on), `extract_cancel`
- the review queue: `review_decide` (decisions are the model's training labels)
- merges: `person_merge` and `merge_undo` (exact: every re-pointed row is listed)
- `known_to`: which agencies hold records for a person (MASH only)
- `model_train`: a new model version from the person index and the reviewers' labels
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from safehub.core import audit, notify
from safehub.core.access import can_edit
from safehub.core.models import Agency, AuditAction, District
from safehub.core.models.base import ScopedChildModel, ScopedModel
from safehub.core.roles import DISTRICT_WIDE_ROLES
from safehub.linkage import engine, matching, rules
from safehub.linkage.models import (
    ExtractRecord,
    ExtractStatus,
    MatchReview,
    Merge,
    PartnerExtract,
    RecordOutcome,
    ReviewStatus,
)
from safehub.people import chronology
from safehub.people import rules as people_rules
from safehub.people import services as people_services
from safehub.people.models import Person

ASK_SALT = "safehub.linkage.ask-mash"
CLOSED_STATUSES = frozenset(
    {"closed", "found", "approved", "referred", "returned", "withdrawn", "completed", "cancelled", "ended"}
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- search before create ------------------------------------------------------------------------


def clean_query(data: dict[str, Any]) -> dict[str, Any]:
    """A match query from a form or the API: names required; date of birth real and not future."""
    errors = {}
    query: dict[str, Any] = {}
    for name, message in (("first_name", "Enter a first name"), ("surname", "Enter a last name")):
        value = str(data.get(name) or "").strip()
        if not value:
            errors[name] = message
        elif len(value) > 100:
            errors[name] = "Must be 100 characters or fewer"
        query[name] = value
    dob = data.get("dob")
    if isinstance(dob, date):
        if dob > timezone.localdate():
            errors["dob"] = "Date of birth must be today or in the past"
        query["dob"] = dob
    elif dob:
        parsed, problem = rules.parse_dob(str(dob), timezone.localdate())
        if problem:
            errors["dob"] = problem
        query["dob"] = parsed
    else:
        query["dob"] = None
    postcode = people_rules.normalise_postcode(str(data.get("postcode") or ""))
    if postcode and people_rules.postcode_problem(postcode):
        errors["postcode"] = people_rules.postcode_problem(postcode)
    query["postcode"] = postcode
    for name in ("address", "city", "identifier", "sex", "email"):
        value = str(data.get(name) or "").strip()
        if len(value) > 200:
            errors[name] = "Must be 200 characters or fewer"
        query[name] = value
    if errors:
        raise ValidationError(errors)
    return query


def candidate_search(*, actor: Any, query: dict[str, Any], limit: int = 10) -> dict[str, Any]:
    """Candidates for a person about to be entered, scoped to what `actor` may see.

    Returns {"visible": [(person, probability, explanation)], "elsewhere": [token, ...],
    "model_version": ...}. Candidates outside the actor's scope are returned only as a signed
    token (to ask the MASH), never their details. Audited: one search event, one listed event
    per visible candidate.
    """
    _require(rules.can_search(actor), "Your role does not give access to person-level records")
    query = clean_query(query)
    found = matching.candidates_for(query, limit=limit)
    ids = [c.person_id for c in found]
    visible = {
        str(p.pk): p
        for p in Person.objects.visible_to(actor)
        .filter(pk__in=ids)
        .select_related("district", "owning_agency")
    }
    shown, elsewhere = [], []
    for candidate in found:
        person = visible.get(candidate.person_id)
        if person is not None:
            shown.append((person, candidate.probability, candidate.explanation))
        else:
            elsewhere.append(signing.dumps({"p": candidate.person_id, "u": str(actor.pk)}, salt=ASK_SALT))
    audit.record(
        actor,
        AuditAction.SEARCH,
        object_type="people.person",
        fields=sorted(name for name, value in query.items() if value),
        reason=f"Match search: {len(shown)} shown, {len(elsewhere)} held by other agencies",
    )
    audit.record_listed(actor, [row[0] for row in shown])
    return {"visible": shown, "elsewhere": elsewhere, "model_version": matching.matcher().version}


@transaction.atomic
def match_choose(*, actor: Any, person: Person, probability: float | None = None) -> Person:
    """The user picked an existing record instead of creating one (the person is in scope)."""
    _require(rules.can_search(actor), "Your role does not give access to person-level records")
    note = f" (match probability {probability:.2f})" if probability is not None else ""
    audit.record(actor, AuditAction.READ, person, reason=f"Chosen as the match before adding a person{note}")
    return person


@transaction.atomic
def person_create_checked(
    *,
    actor: Any,
    district: District,
    candidates_shown: int,
    postcode: str = "",
    address_line1: str = "",
    town: str = "",
    nhs_number: str = "",
    **data: Any,
) -> Person:
    """Create a person after the match search showed `candidates_shown` candidates and the user
    chose none; with an address and NHS number when given. All or nothing."""
    person = people_services.person_create(actor=actor, district=district, **data)
    if address_line1 or postcode:
        people_services.address_add(
            actor=actor, person=person, line1=address_line1, town=town, postcode=postcode
        )
    if nhs_number:
        people_services.identifier_add(actor=actor, person=person, kind="nhs_number", value=nhs_number)
    audit.record(
        actor,
        AuditAction.CREATE,
        person,
        reason=f"Added after a match search: {candidates_shown} candidate(s) shown, none chosen",
    )
    return person


def _mash_users(district_id: Any):
    from safehub.core.models import User

    return (
        User.objects.filter(
            is_active=True, district_id=district_id, role_grants__role__in=DISTRICT_WIDE_ROLES
        )
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def mash_ask(*, actor: Any, token: str) -> int:
    """Ask the MASH about a possible match held by another agency. Returns how many were told."""
    _require(rules.can_search(actor), "Your role does not give access to person-level records")
    try:
        payload = signing.loads(token, salt=ASK_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature as exc:
        raise ValidationError({"token": "This request has expired: search again"}) from exc
    if payload.get("u") != str(actor.pk):
        raise ValidationError({"token": "This request has expired: search again"})
    person = Person.objects.filter(pk=payload["p"]).first()
    if person is None:
        raise ValidationError({"token": "This request has expired: search again"})
    recipients = list(_mash_users(person.district_id))
    from django.urls import reverse

    for user in recipients:
        notify.send(
            user,
            person,
            title="Possible match held by another agency",
            body=(
                f"{actor.get_full_name() or actor.username} ({actor.agency.name}) is entering a person "
                "who may already be on this record. Check who holds it and contact them."
            ),
            url=reverse("linkage:known_to", args=[person.pk]),
            ack_required=True,
            kind="linkage_ask_mash",
            actor=actor,
        )
    audit.record(actor, AuditAction.SEARCH, person, reason="Asked the MASH about a possible match")
    return len(recipients)


# --- partner extracts ----------------------------------------------------------------------------


# Bytes that are not UTF-8 (kept by surrogateescape) and NUL, which no database column may hold.
UNREADABLE = re.compile("[\udc80-\udcff\x00]")
UNREADABLE_PROBLEM = "Text cannot be read: save the file as UTF-8"


def _unreadable(raw: dict[Any, Any]) -> bool:
    values = [v for value in raw.values() for v in (value if isinstance(value, list) else [value])]
    return any(UNREADABLE.search(value) for value in values if value)


@transaction.atomic
def extract_check(
    *,
    actor: Any,
    district: District,
    partner_name: str,
    partner_kind: str,
    filename: str,
    content: bytes,
) -> PartnerExtract:
    """Check a partner's CSV row by row. Good rows are kept for linking; nothing is linked until
    someone accepts the report (`extract_accept`). A file without the required columns is refused."""
    _require(rules.can_link(actor), "Only the MASH can link partner extracts")
    if not actor.agency.districts.filter(pk=district.pk).exists():
        raise ValidationError({"district": "Select a district your agency serves"})
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    if not content:
        raise ValidationError({"file": "The file is empty"})
    # Rows are numbered as the csv reader counts them (blank lines skipped, a quoted line break
    # inside one row); a row with bytes that are not UTF-8 is reported, not kept. Strict quoting: a
    # stray quote refuses the file rather than swallowing the rows after it.
    reader = csv.DictReader(io.StringIO(content.decode("utf-8", "surrogateescape"), newline=""), strict=True)
    try:
        header = list(reader.fieldnames or [])
    except csv.Error as exc:
        raise ValidationError({"file": f"The header row cannot be read as CSV ({exc})"}) from exc
    if any(UNREADABLE.search(name or "") for name in header):
        raise ValidationError({"file": "The header row cannot be read: save the file as UTF-8"})
    missing = rules.missing_columns(header)
    if missing:
        raise ValidationError({"file": f"The file has no column named {', '.join(missing)}"})
    today = timezone.localdate()
    extract = PartnerExtract(
        owning_agency=actor.agency,
        district=district,
        partner_name=partner_name.strip(),
        partner_kind=partner_kind,
        filename=filename[:200],
        created_by=actor,
        auto_link_threshold=rules.AUTO_LINK,
        review_threshold=rules.REVIEW,
    )
    extract.full_clean()
    extract.save()
    problems: list[dict[str, Any]] = []
    records = []
    total = 0
    rows = enumerate(reader, start=1)
    while True:
        try:
            number, raw = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ValidationError({"file": f"Row {total + 1} cannot be read as CSV ({exc})"}) from exc
        total = number
        if number > rules.MAX_EXTRACT_ROWS:
            raise ValidationError({"file": f"The file has more than {rules.MAX_EXTRACT_ROWS} rows: split it"})
        if _unreadable(raw):
            problems.append({"row": number, "field": "row", "problem": UNREADABLE_PROBLEM})
            continue
        check = rules.check_row(number, raw, today)
        if check.problems:
            problems.extend(check.problems)
            continue
        data = check.data
        records.append(
            ExtractRecord(
                extract=extract,
                row_number=number,
                partner_reference=data["reference"],
                first_name=data["first_name"],
                surname=data["surname"],
                dob=data["dob"],
                sex=data["sex"],
                postcode=people_rules.normalise_postcode(data["postcode"]) if data["postcode"] else "",
                address=data["address"],
                city=data["city"],
                email=data["email"],
                identifier=data["identifier"].replace(" ", ""),
            )
        )
    if total == 0:
        raise ValidationError({"file": "The file has a header but no rows"})
    ExtractRecord.objects.bulk_create(records, batch_size=1000)
    extract.total_rows = total
    extract.good_rows = len(records)
    extract.problems = sorted(problems, key=lambda p: (p["row"], p["field"]))
    extract.save(update_fields=["total_rows", "good_rows", "problems", "updated_at"])
    audit.record(actor, AuditAction.CREATE, extract, fields=["partner_name", "partner_kind", "filename"])
    return extract


def _record_query(record: ExtractRecord) -> dict[str, Any]:
    return {
        "unique_id": str(record.pk),
        "first_name": record.first_name,
        "surname": record.surname,
        "dob": record.dob,
        "postcode": record.postcode,
        "address": record.address,
        "city": record.city,
        "email": record.email,
        "sex": record.sex,
        "identifier": record.identifier,
    }


def _explanation_json(explanation: engine.Explanation) -> list[dict[str, Any]]:
    return [
        {"field": f.field, "label": f.label, "level": f.level, "weight": round(f.weight, 2)}
        for f in explanation.fields
    ]


def extract_accept(
    *,
    actor: Any,
    extract: PartnerExtract,
    progress: Callable[[int, int], None] | None = None,
    chunk: int | None = None,
    seconds: float | None = None,
) -> PartnerExtract:
    """Link the good rows: auto-link at or above the high threshold, queue the uncertain band for
    review, leave the rest unlinked.

    Accepting moves the extract from checked to linking; the rows are then linked a chunk at a
    time, each chunk committed with the extract's progress, so a page or another session sees how
    far it has got and a run that dies part-way loses nothing: accepting an extract that is still
    linking carries on from its first row not yet linked. With `seconds`, the call stops after the
    first chunk that ends later than that and returns the extract still linking (a web request
    links a few seconds at a time); without it, the call links every row. Each call writes one
    audit event: an accepting call with the acceptance (before any row is linked), a call that
    carries on when it stops."""
    _require(rules.can_link(actor) and can_edit(actor, extract), "Only the MASH can link partner extracts")
    chunk = chunk or rules.LINK_CHUNK
    started = time.monotonic()
    current = matching.matcher()
    with transaction.atomic():
        extract = PartnerExtract.objects.select_for_update().get(pk=extract.pk)
        if extract.status not in (ExtractStatus.CHECKED, ExtractStatus.LINKING):
            raise ValidationError({"status": "This extract has already been linked or cancelled"})
        accepting = extract.status == ExtractStatus.CHECKED
        if accepting:
            extract.status = ExtractStatus.LINKING
            extract.accepted_by = actor
            extract.accepted_at = timezone.now()
            extract.model_version = current.version
            extract.save(
                update_fields=["status", "accepted_by", "accepted_at", "model_version", "updated_at"]
            )
            # Saved with the acceptance, so who accepted is on the trail even if the run dies.
            audit.record(
                actor, AuditAction.UPDATE, extract, fields=["status"], reason="Extract accepted for linking"
            )
    while True:
        linked_some = _link_chunk(extract, current, chunk)
        extract.refresh_from_db()
        if linked_some and progress:
            progress(extract.processed_rows, extract.good_rows)
        if not linked_some or not extract.records.filter(outcome=RecordOutcome.WAITING).exists():
            extract = _link_finish(extract, current)
            break
        if seconds is not None and time.monotonic() - started >= seconds:
            break
    if not accepting:
        finished = extract.status == ExtractStatus.LINKED
        reason = "Extract linking continued" + (" and finished" if finished else "")
        audit.record(actor, AuditAction.UPDATE, extract, fields=["status", "processed_rows"], reason=reason)
    return extract


def _link_chunk(extract: PartnerExtract, current: matching.Matcher, chunk: int) -> bool:
    """Link the next `chunk` waiting rows in one transaction; False when none were waiting."""
    with transaction.atomic():
        locked = PartnerExtract.objects.select_for_update().get(pk=extract.pk)
        if locked.status != ExtractStatus.LINKING:
            return False
        batch = list(extract.records.filter(outcome=RecordOutcome.WAITING).order_by("row_number")[:chunk])
        if not batch:
            return False
        now = timezone.now()
        scored = (
            current.predict(matching.record_frame([_record_query(r) for r in batch]), threshold=rules.REVIEW)
            if current.size
            else None
        )
        by_record: dict[str, list[dict[str, Any]]] = {}
        if scored is not None:
            for row in scored.to_dict("records"):
                by_record.setdefault(str(row["unique_id_l"]), []).append(row)
        wanted = {str(row["unique_id_r"]) for rows in by_record.values() for row in rows}
        people = {str(p.pk): p for p in Person.objects.filter(pk__in=wanted)}
        counts = {"auto_linked": 0, "queued": 0, "no_match": 0}
        for record in batch:
            rows = [r for r in by_record.get(str(record.pk), []) if str(r["unique_id_r"]) in people]
            if not rows:
                record.outcome = RecordOutcome.NO_MATCH
                counts["no_match"] += 1
                record.save(update_fields=["outcome", "updated_at"])
                continue
            best = rows[0]
            record.best_probability = float(best["match_probability"])
            if rules.band(record.best_probability) == "auto_link" and (
                len(rows) == 1 or rules.band(float(rows[1]["match_probability"])) != "auto_link"
            ):
                person = people[str(best["unique_id_r"])]
                record.person = person
                record.outcome = RecordOutcome.AUTO_LINKED
                counts["auto_linked"] += 1
                chronology.add(
                    person,
                    "partner_record_linked",
                    now,
                    extract,
                    f"Record from {extract.partner_name} linked "
                    f"(match probability {record.best_probability:.3f})",
                    agency=extract.owning_agency,
                )
            else:
                record.outcome = RecordOutcome.QUEUED
                counts["queued"] += 1
                for row in rows[:3]:
                    MatchReview.objects.create(
                        owning_agency=extract.owning_agency,
                        district=extract.district,
                        record=record,
                        person=people[str(row["unique_id_r"])],
                        probability=float(row["match_probability"]),
                        explanation=_explanation_json(engine.explain_row(row, current.model)),
                    )
            record.save(update_fields=["outcome", "person", "best_probability", "updated_at"])
        # The counts are committed with the rows they count, so a resumed run adds up exactly.
        locked.summary = {key: locked.summary.get(key, 0) + n for key, n in counts.items()}
        locked.processed_rows += len(batch)
        locked.save(update_fields=["summary", "processed_rows", "updated_at"])
    return True


def _link_finish(extract: PartnerExtract, current: matching.Matcher) -> PartnerExtract:
    """Mark a linking extract linked once no row waits."""
    with transaction.atomic():
        extract = PartnerExtract.objects.select_for_update().get(pk=extract.pk)
        if extract.status != ExtractStatus.LINKING:
            return extract
        extract.summary = {key: extract.summary.get(key, 0) for key in ("auto_linked", "queued", "no_match")}
        extract.status = ExtractStatus.LINKED
        extract.model_version = current.version
        extract.linked_at = timezone.now()
        extract.save()
    return extract


@transaction.atomic
def extract_cancel(*, actor: Any, extract: PartnerExtract) -> PartnerExtract:
    _require(rules.can_link(actor) and can_edit(actor, extract), "Only the MASH can link partner extracts")
    if extract.status != ExtractStatus.CHECKED:
        raise ValidationError({"status": "Only an extract waiting to be accepted can be cancelled"})
    extract.status = ExtractStatus.CANCELLED
    extract.save(update_fields=["status", "updated_at"])
    extract.records.all().delete()
    audit.record(
        actor, AuditAction.UPDATE, extract, fields=["status"], reason="Extract cancelled: nothing linked"
    )
    return extract


# --- the review queue ----------------------------------------------------------------------------


@transaction.atomic
def review_decide(*, actor: Any, review: MatchReview, decision: str) -> MatchReview:
    """Confirm (same person: link the record) or reject a queued pair. Confirming one candidate
    rejects the record's other candidates."""
    _require(rules.can_link(actor) and can_edit(actor, review), "Only the MASH can decide matches")
    if decision not in ("confirm", "reject"):
        raise ValidationError({"decision": "Select confirm or reject"})
    review = MatchReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.PENDING:
        raise ValidationError({"decision": "This pair has already been decided"})
    now = timezone.now()
    record = review.record
    review.status = ReviewStatus.CONFIRMED if decision == "confirm" else ReviewStatus.REJECTED
    review.decided_by, review.decided_at = actor, now
    review.save()
    audit.record(actor, AuditAction.UPDATE, review, fields=["status"], person_id=review.person_id)
    if decision == "confirm":
        others = record.reviews.filter(status=ReviewStatus.PENDING).exclude(pk=review.pk)
        for other in others:
            other.status, other.decided_by, other.decided_at = ReviewStatus.REJECTED, actor, now
            other.save()
            audit.record(
                actor,
                AuditAction.UPDATE,
                other,
                fields=["status"],
                person_id=other.person_id,
                reason="Another candidate was confirmed",
            )
        record.person, record.outcome = review.person, RecordOutcome.CONFIRMED
        record.save(update_fields=["person", "outcome", "updated_at"])
        chronology.add(
            review.person,
            "partner_record_linked",
            now,
            record.extract,
            f"Record from {record.extract.partner_name} linked by a reviewer",
            agency=actor.agency,
        )
    elif not record.reviews.filter(status__in=[ReviewStatus.PENDING, ReviewStatus.CONFIRMED]).exists():
        record.outcome = RecordOutcome.NO_MATCH
        record.save(update_fields=["outcome", "updated_at"])
    return review


# --- merge and unmerge ---------------------------------------------------------------------------


def _person_relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) holding a foreign key to Person, in any app, except merge records."""
    found = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        model = rel.related_model
        field = rel.field
        if model is Merge or (model is Person and field.name == "merged_into"):
            continue
        if rel.many_to_many:
            through = field.remote_field.through
            for f in through._meta.fields:
                if f.is_relation and f.related_model is Person:
                    found.append((through, f.name))
            continue
        found.append((model, field.name))
    return sorted(set(found), key=lambda pair: (pair[0]._meta.label, pair[1]))


@transaction.atomic
def person_merge(*, actor: Any, survivor: Person, duplicate: Person, reason: str) -> Merge:
    """Move everything linked to `duplicate` onto `survivor`; mark the duplicate merged.

    Nothing is deleted. A row that cannot move without breaking a uniqueness rule (the same
    identifier on both) stays on the duplicate and is listed in `kept`.
    """
    _require(rules.can_link(actor), "Only the MASH can merge person records")
    _require(can_edit(actor, survivor) and can_edit(actor, duplicate), "You cannot change both records")
    reason = (reason or "").strip()
    errors = {}
    if survivor.pk == duplicate.pk:
        errors["duplicate"] = "Select a different person: a record cannot be merged into itself"
    if survivor.merged_into_id or duplicate.merged_into_id:
        errors["duplicate"] = "One of these records has already been merged"
    if len(reason) < 10:
        errors["reason"] = "Enter why these are the same person in at least 10 characters"
    if errors:
        raise ValidationError(errors)
    moved, kept = [], []
    for model, field in _person_relations():
        rows = model._base_manager.filter(**{field: duplicate.pk})
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if not ids:
            continue
        done = []
        for pk in ids:
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field: survivor.pk})
                done.append(pk)
            except IntegrityError:
                kept.append({"model": model._meta.label_lower, "field": field, "id": pk})
        if done:
            moved.append({"model": model._meta.label_lower, "field": field, "ids": done})
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge = Merge(
        owning_agency=survivor.owning_agency,
        district=survivor.district,
        survivor=survivor,
        duplicate=duplicate,
        reason=reason,
        moved=moved,
        kept=kept,
        merged_by=actor,
    )
    merge.full_clean()
    merge.save()
    audit.record(
        actor, AuditAction.UPDATE, survivor, fields=["merged_duplicates"], reason=f"Merge {merge.pk}"
    )
    audit.record(actor, AuditAction.UPDATE, duplicate, fields=["merged_into"], reason=f"Merge {merge.pk}")
    audit.record(actor, AuditAction.CREATE, merge, fields=["survivor", "duplicate", "reason"])
    return merge


@transaction.atomic
def merge_undo(*, actor: Any, merge: Merge) -> Merge:
    """Put back exactly the rows the merge moved, and clear the duplicate's merged mark."""
    from django.apps import apps

    _require(rules.can_link(actor), "Only the MASH can undo a merge")
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    _require(
        can_edit(actor, merge.survivor) and can_edit(actor, merge.duplicate), "You cannot change both records"
    )
    if merge.undone_at:
        raise ValidationError({"merge": "This merge has already been undone"})
    for entry in merge.moved:
        model = apps.get_model(entry["model"])
        model._base_manager.filter(pk__in=entry["ids"], **{entry["field"]: merge.survivor_id}).update(
            **{entry["field"]: merge.duplicate_id}
        )
    duplicate = Person.objects.get(pk=merge.duplicate_id)
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        merge.survivor,
        fields=["merged_duplicates"],
        reason=f"Merge {merge.pk} undone",
    )
    audit.record(
        actor, AuditAction.UPDATE, duplicate, fields=["merged_into"], reason=f"Merge {merge.pk} undone"
    )
    audit.record(actor, AuditAction.UPDATE, merge, fields=["undone_at"], reason="Merge undone")
    return merge


# --- known to which agency? ----------------------------------------------------------------------


def _root_path(model: type[models.Model], field: str) -> tuple[str, type[models.Model] | None]:
    """The lookup prefix from `model` to the record that carries owning_agency, and that model."""
    if issubclass(model, ScopedModel):
        return "", model
    if issubclass(model, ScopedChildModel) and model.scope_path and model.scope_path != "person__":
        root = model
        for part in [p for p in model.scope_path.split("__") if p]:
            root = root._meta.get_field(part).related_model
        return model.scope_path, root
    return "", None


def known_to(*, actor: Any, person: Person) -> list[dict[str, Any]]:
    """Which agencies hold records for `person`: agency, whether a case is open, a contact point.

    Discloses nothing else (no record types, dates or details). MASH roles only; audited.
    """
    _require(rules.can_ask_known_to(actor), "Only the MASH can ask which agencies know a person")
    holders: dict[Any, bool] = {person.owning_agency_id: False}
    people_ids = [person.pk, *person.merged_duplicates.values_list("pk", flat=True)]
    for model, field in _person_relations():
        prefix, root = _root_path(model, field)
        if root is None or root is Person:
            continue
        status_field = next((f.name for f in root._meta.fields if f.name == "status"), None)
        values = [f"{prefix}owning_agency_id"] + ([f"{prefix}{status_field}"] if status_field else [])
        for row in model._base_manager.filter(**{f"{field}__in": people_ids}).values_list(*values).distinct():
            agency_id = row[0]
            is_open = bool(status_field) and row[1] not in CLOSED_STATUSES
            holders[agency_id] = holders.get(agency_id, False) or is_open
    agencies = Agency.objects.in_bulk(list(holders))
    audit.record(actor, AuditAction.SEARCH, person, reason="Known to which agency?")
    return sorted(
        (
            {
                "agency": agencies[agency_id].name,
                "agency_code": agencies[agency_id].code,
                "kind": agencies[agency_id].get_kind_display(),
                "open_case": is_open,
                "contact": agencies[agency_id].safeguarding_contact,
            }
            for agency_id, is_open in holders.items()
            if agency_id in agencies
        ),
        key=lambda row: row["agency"],
    )


# --- the model -----------------------------------------------------------------------------------


def training_labels() -> tuple[list[dict[str, Any]], list[tuple[str, str]], dict[str, int]]:
    """Reviewers' decisions as training data: the extract records decided, and confirmed pairs."""
    decided = MatchReview.objects.exclude(status=ReviewStatus.PENDING).select_related("record")
    extra, pairs = {}, []
    counts = {"confirmed": 0, "rejected": 0}
    for review in decided:
        counts[review.status] += 1
        if review.status == ReviewStatus.CONFIRMED:
            key = f"x-{review.record_id}"
            extra[key] = {**_record_query(review.record), "unique_id": key}
            pairs.append((key, str(review.person_id)))
    return list(extra.values()), pairs, counts


def model_train(*, actor: Any) -> dict[str, Any]:
    """Train a new model version on the person index (and reviewers' labels); save it under VAR_DIR."""
    import pandas as pd

    label = actor if isinstance(actor, str) else getattr(actor, "username", "system")
    index = matching.index_frame()
    if len(index) < rules.MIN_TRAINING_RECORDS:
        raise ValidationError(
            {
                "index": f"The person index has {len(index)} people: "
                f"training needs at least {rules.MIN_TRAINING_RECORDS}"
            }
        )
    extra, pairs, counts = training_labels()
    frame = pd.concat([index, matching.record_frame(extra)], ignore_index=True) if extra else index
    labels = pd.DataFrame(pairs, columns=["unique_id_l", "unique_id_r"]) if pairs else None
    started = timezone.now()
    _linker, model = engine.train([frame], labels=labels)
    path = matching.next_model_path()
    meta = {
        "trained_at": started.isoformat(timespec="seconds"),
        "trained_by": label,
        "records": len(index),
        "labels": counts,
        "labels_used_for_m": bool(labels is not None and len(labels) >= engine.MIN_LABELS_FOR_M),
        "splink": __import__("splink").__version__,
        "thresholds": {"auto_link": rules.AUTO_LINK, "review": rules.REVIEW, "candidate": rules.CANDIDATE},
    }
    engine.save_model(model, path, meta=meta)
    audit.record(
        actor,
        AuditAction.CREATE,
        object_type="linkage.model",
        object_id=path.name,
        reason=f"Person-matching model trained on {len(index)} records",
    )
    return {"path": str(path), **meta}
