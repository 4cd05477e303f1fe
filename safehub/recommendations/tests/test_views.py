"""Tracker pages: each owner sees their agency's items, the partnership manager all of the
partnership's; out-of-scope ids are 404, aggregate roles 403; updates and recording by form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.recommendations.models import Recommendation, SourceKind, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(record, officer, owner, outsider):
    return {
        "police_late": record(officer, due_in=-4, text="Police item overdue"),
        "police_later": record(officer, due_in=20, text="Police item later"),
        "csc": record(owner, due_in=5, kind=SourceKind.PRACTICE_REVIEW, reference="Child T", text="CSC item"),
        "bradford": record(outsider, due_in=-1, text="Bradford item"),
    }


def test_owner_sees_only_their_agencys_items(client, items, officer):
    client.force_login(officer)
    page = client.get("/recommendations/").content.decode()
    assert "Police item overdue" in page and "Police item later" in page
    assert "CSC item" not in page and "Bradford item" not in page
    assert "4 days overdue" in page


def test_partnership_manager_sees_the_whole_partnership_by_source_and_agency(client, items, manager):
    client.force_login(manager)
    response = client.get("/recommendations/")
    page = response.content.decode()
    assert all(text in page for text in ["Police item overdue", "CSC item", "Bradford item"])
    by_agency = {
        row["label"]: (row["open"], row["overdue"]) for row in response.context["summary"]["by_agency"]
    }
    assert by_agency == {
        "West Yorkshire Police": (2, 1),
        "Leeds Children's Social Care": (1, 0),
        "Bradford Children's Social Care": (1, 1),
    }
    by_source = {
        row["kind"]: (row["open"], row["overdue"]) for row in response.context["summary"]["by_source"]
    }
    assert by_source == {"hmicfrs": (3, 2), "practice_review": (1, 0)}


def test_overdue_filter_and_agency_filter(client, items, manager, agencies):
    client.force_login(manager)
    page = client.get("/recommendations/?view=overdue").content.decode()
    assert "Police item overdue" in page and "Bradford item" in page and "Police item later" not in page
    page = client.get(f"/recommendations/?view=open&agency={agencies['leeds_csc'].pk}").content.decode()
    assert "CSC item" in page and "Police item" not in page.split("recommendations</caption>")[-1]


def test_outsider_gets_404_on_another_agencys_item(client, items, outsider):
    client.force_login(outsider)
    assert client.get(f"/recommendations/{items['police_late'].pk}/").status_code == 404
    assert (
        client.post(f"/recommendations/{items['police_late'].pk}/", {"status": "completed"}).status_code
        == 404
    )
    assert client.get("/recommendations/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("persona", ["analyst", "commissioner", "auditor"])
def test_aggregate_and_oversight_roles_get_403(client, items, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/recommendations/").status_code == 403
    assert client.get(f"/recommendations/{items['police_late'].pk}/").status_code == 403


def test_owner_reads_audited_and_adds_evidence(client, items, officer):
    item = items["police_late"]
    client.force_login(officer)
    page = client.get(f"/recommendations/{item.pk}/").content.decode()
    assert "Police item overdue" in page
    assert AuditEvent.objects.filter(object_id=str(item.pk), action="read", actor=officer).exists()
    response = client.post(
        f"/recommendations/{item.pk}/",
        {"status": "completed", "note": "Dip sample of 20 reports shows it done"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.COMPLETED


def test_completion_without_evidence_shows_the_error(client, items, officer):
    client.force_login(officer)
    response = client.post(
        f"/recommendations/{items['police_late'].pk}/", {"status": "completed", "note": ""}
    )
    assert response.status_code == 200
    assert "Enter the evidence that the recommendation is complete" in response.content.decode()


def test_manager_records_one_by_form_and_a_missing_owner_is_named(client, manager, officer):
    client.force_login(manager)
    assert client.get("/recommendations/new/").status_code == 200
    due = timezone.localdate() + timedelta(days=40)
    data = {
        "source_kind": "select_committee",
        "source_reference": "Committee report rec. 2",
        "text": "Publish the response.",
        "district": "",
        "owning_agency": str(officer.agency_id),
        "owner": "",
        "due_on_0": due.day,
        "due_on_1": due.month,
        "due_on_2": due.year,
    }
    response = client.post("/recommendations/new/", data)
    assert "Select the person who owns the recommendation" in response.content.decode()
    assert not Recommendation.objects.exists()
    response = client.post("/recommendations/new/", {**data, "owner": str(officer.pk)})
    made = Recommendation.objects.get()
    assert response.url == f"/recommendations/{made.pk}/"
    assert (made.owner, made.due_on, made.source_kind) == (officer, due, "select_committee")


def test_owner_cannot_record_or_reassign(client, items, officer):
    client.force_login(officer)
    assert client.get("/recommendations/new/").status_code == 403
    assert client.get(f"/recommendations/{items['police_late'].pk}/owner/").status_code == 403


def test_manager_reassigns(client, items, manager, owner):
    item = items["police_late"]
    client.force_login(manager)
    due = timezone.localdate() + timedelta(days=9)
    response = client.post(
        f"/recommendations/{item.pk}/owner/",
        {
            "owning_agency": str(owner.agency_id),
            "owner": str(owner.pk),
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner, item.due_on) == (owner, due)


def test_only_mine_filter(client, record, officer, agencies, districts):
    from safehub.core.roles import Role
    from safehub.core.tests.factories import UserFactory

    colleague = UserFactory(
        username="colleague", agency=agencies["police"], district=districts["leeds"], roles=[Role.OFFICER]
    )
    record(officer, text="Officer's own item")
    record(colleague, text="Colleague's item")
    client.force_login(officer)
    page = client.get("/recommendations/?view=open&mine=on").content.decode()
    assert "Officer&#x27;s own item" in page and "Colleague&#x27;s item" not in page
    page = client.get("/recommendations/").content.decode()
    assert "Colleague&#x27;s item" in page
