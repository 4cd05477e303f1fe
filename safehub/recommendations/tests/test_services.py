"""Tracker services: recording (refused with no owner or no due date, nothing saved), updates with
evidence, reassignment, overdue notices once per item (and the command)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from safehub.core.models import AuditEvent, Notification
from safehub.recommendations import services
from safehub.recommendations.models import EvidenceNote, Recommendation, SourceKind, Status

pytestmark = pytest.mark.django_db


def _create(manager, **overrides):
    fields = {
        "actor": manager,
        "source_kind": SourceKind.HMICFRS,
        "source_reference": "PEEL 2025 AFI 3",
        "text": "Improve supervision of missing child reports.",
        "owning_agency": None,
        "owner": None,
        "due_on": timezone.localdate() + timedelta(days=30),
    }
    fields.update(overrides)
    return services.recommendation_create(**fields)


def test_manager_records_a_recommendation_with_owner_and_due_date(manager, officer):
    made = _create(manager, owning_agency=officer.agency, owner=officer)
    assert made.status == Status.OPEN
    assert made.force_id == manager.agency.force_id
    assert AuditEvent.objects.filter(object_id=str(made.pk), action="create", actor=manager).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"owner": None}, "owner"),
        ({"due_on": None}, "due_on"),
        ({"owning_agency": None}, "owning_agency"),
        ({"text": "  "}, "text"),
        ({"source_reference": ""}, "source_reference"),
        ({"source_kind": "rumour"}, "source_kind"),
    ],
)
def test_refused_without_owner_due_date_or_text_and_nothing_saved(manager, officer, overrides, field):
    fields = {"owning_agency": officer.agency, "owner": officer, **overrides}
    with pytest.raises(ValidationError) as problem:
        _create(manager, **fields)
    assert field in problem.value.message_dict
    assert Recommendation.objects.count() == 0


def test_owner_must_belong_to_the_owning_agency(manager, officer, agencies):
    with pytest.raises(ValidationError) as problem:
        _create(manager, owning_agency=agencies["leeds_csc"], owner=officer)
    assert problem.value.message_dict["owner"] == ["Select a person in Leeds Children's Social Care"]


def test_an_aggregate_role_cannot_own_a_recommendation(manager, analyst):
    with pytest.raises(ValidationError) as problem:
        _create(manager, owning_agency=analyst.agency, owner=analyst)
    assert "owner" in problem.value.message_dict


def test_only_the_partnership_manager_records_one_without_a_source(owner, officer):
    with pytest.raises(PermissionDenied):
        _create(owner, owning_agency=officer.agency, owner=officer)


def test_owner_completes_with_evidence(record, manager, officer):
    item = record(officer)
    services.recommendation_update(
        actor=officer, recommendation=item, status="completed", note="Dip sample done"
    )
    item.refresh_from_db()
    assert item.status == Status.COMPLETED and item.closed_at is not None
    note = EvidenceNote.objects.get(recommendation=item)
    assert (note.author, note.author_agency, note.status) == (officer, officer.agency, "completed")


def test_completion_without_evidence_is_refused_and_nothing_saved(record, officer):
    item = record(officer)
    with pytest.raises(ValidationError) as problem:
        services.recommendation_update(actor=officer, recommendation=item, status="completed", note="")
    assert "note" in problem.value.message_dict
    item.refresh_from_db()
    assert item.status == Status.OPEN and not item.notes.exists()


def test_another_agency_cannot_update(record, officer, owner):
    item = record(officer)
    with pytest.raises(PermissionDenied):
        services.recommendation_update(actor=owner, recommendation=item, status="in_progress", note="x")


def test_manager_closes_as_not_accepted_and_reopens(record, manager, officer):
    item = record(officer)
    services.recommendation_update(
        actor=manager, recommendation=item, status="not_accepted", note="Duplicate"
    )
    with pytest.raises(ValidationError):
        services.recommendation_update(actor=officer, recommendation=item, status="open", note="We disagree")
    services.recommendation_update(actor=manager, recommendation=item, status="open", note="Reopened")
    item.refresh_from_db()
    assert item.status == Status.OPEN and item.closed_at is None


def test_overdue_owner_is_told_once_and_escalation_goes_to_the_manager(record, manager, officer):
    late = record(officer, due_in=-1)
    record(officer, due_in=0)  # due today: not overdue
    done = record(officer, due_in=-5)
    services.recommendation_update(actor=officer, recommendation=done, status="completed", note="Done")
    assert list(services.overdue_recommendations()) == [late]
    assert services.recommendation_overdue_notify(recommendation=late) is True
    assert services.recommendation_overdue_notify(recommendation=late) is False
    notice = Notification.objects.get(kind="recommendation_overdue")
    assert notice.recipient_user == officer
    assert notice.escalate_to_user == manager
    assert notice.url == f"/recommendations/{late.pk}/"
    assert list(services.overdue_recommendations()) == []


def test_overdue_command_notifies_each_item_once(record, officer):
    record(officer, due_in=-3)
    record(officer, due_in=-10)
    out = StringIO()
    call_command("recommendations_overdue", stdout=out)
    assert "Notified 2 recommendation owner(s)" in out.getvalue()
    call_command("recommendations_overdue", stdout=out)
    assert Notification.objects.filter(kind="recommendation_overdue").count() == 2


def test_reassign_changes_owner_and_due_date_and_tells_again(record, manager, officer, owner):
    item = record(officer, due_in=-3)
    services.recommendation_overdue_notify(recommendation=item)
    new_due = timezone.localdate() + timedelta(days=10)
    services.recommendation_reassign(
        actor=manager, recommendation=item, owning_agency=owner.agency, owner=owner, due_on=new_due
    )
    item.refresh_from_db()
    assert (item.owner, item.due_on, item.overdue_notified_at) == (owner, new_due, None)
    with pytest.raises(PermissionDenied):
        services.recommendation_reassign(
            actor=owner, recommendation=item, owning_agency=owner.agency, owner=owner, due_on=new_due
        )


def test_a_source_record_links_the_recommendation(manager, officer, person):
    made = _create(manager, owning_agency=officer.agency, owner=officer, source=person)
    assert (made.source_type, made.source_id) == ("people.person", person.pk)


def test_finding_is_recorded_and_an_unknown_one_refused(record, officer):
    afi = record(officer, finding="area_for_improvement")
    assert afi.finding == "area_for_improvement" and afi.get_finding_display() == "Area for improvement"
    assert record(officer).finding == "recommendation"
    with pytest.raises(ValidationError) as refused:
        record(officer, finding="wish")
    assert "finding" in refused.value.message_dict
