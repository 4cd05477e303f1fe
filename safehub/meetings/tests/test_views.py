"""Meetings pages: who sees what (outsider 404, member before acceptance sees the statement,
analyst refused, another district's coordinator 404), and each page doing its job."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.meetings import services
from safehub.meetings.models import Action, MeetingCase, MeetingStatus, Research

pytestmark = pytest.mark.django_db


def test_the_navigation_shows_meetings_to_members_only(client, marac, officer, outsider, analyst):
    client.force_login(officer)
    assert 'href="/meetings/"' in client.get("/").content.decode()
    client.force_login(outsider)
    assert 'href="/meetings/"' not in client.get("/").content.decode()
    client.force_login(analyst)
    assert client.get(reverse("meetings:home")).status_code == 403


def test_home_lists_series_next_meetings_and_my_agency_actions(
    client, meeting, idva, officer, on_agenda, agencies
):
    due = timezone.localtime(meeting.starts_at).date() + timedelta(days=3)
    services.action_create(
        actor=idva,
        case=on_agenda,
        description="Flag the address",
        owner_agency=agencies["police"],
        owner=officer,
        due_on=due,
    )
    client.force_login(officer)
    page = client.get(reverse("meetings:home")).content.decode()
    assert "Leeds MARAC" in page and "Flag the address" in page


def test_the_coordinator_sees_candidates_with_the_rule_and_reason(client, meeting, idva, listed_victim):
    client.force_login(idva)
    page = client.get(reverse("meetings:candidates", args=[meeting.pk])).content.decode()
    assert "Vera Victimson" in page and "Visible high risk" in page and "score 15" in page
    assert "Add to agenda" in page
    assert "/instruments/assessments/" not in page  # the IDVA cannot open the police's DASH


def test_a_member_cannot_list_candidates(client, meeting, officer):
    client.force_login(officer)
    assert client.get(reverse("meetings:candidates", args=[meeting.pk])).status_code == 403


@pytest.mark.parametrize("name", ["meeting", "candidates", "confidentiality"])
def test_an_outsider_and_another_districts_coordinator_get_404(
    client, meeting, outsider, bradford_marac, name
):
    client.force_login(outsider)
    assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404


def test_outsider_gets_404_for_a_case(client, on_agenda, outsider):
    client.force_login(outsider)
    assert client.get(reverse("meetings:case", args=[on_agenda.pk])).status_code == 404


def test_analyst_is_refused(client, on_agenda, analyst):
    client.force_login(analyst)
    assert client.get(reverse("meetings:case", args=[on_agenda.pk])).status_code == 404
    assert client.get(reverse("meetings:meeting", args=[on_agenda.meeting_id])).status_code == 404


def test_a_member_opening_a_case_before_accepting_is_shown_the_statement(client, on_agenda, officer):
    client.force_login(officer)
    url = reverse("meetings:case", args=[on_agenda.pk])
    response = client.get(url, follow=True)
    page = response.content.decode()
    assert "Accept the meeting&#x27;s confidentiality statement before you open its cases" in page
    assert "What is shared at this meeting stays here" in page and "Vera Victimson" not in page
    assert not AuditEvent.objects.filter(actor=officer, action="read", object_id=str(on_agenda.pk)).exists()
    confidentiality = reverse("meetings:confidentiality", args=[on_agenda.meeting_id])
    response = client.post(confidentiality, {"next": url}, follow=True)
    assert "Vera Victimson" in response.content.decode()
    assert AuditEvent.objects.filter(actor=officer, action="read", object_id=str(on_agenda.pk)).exists()


def test_the_meeting_page_hides_cases_until_the_statement_is_accepted(client, on_agenda, officer):
    client.force_login(officer)
    page = client.get(reverse("meetings:meeting", args=[on_agenda.meeting_id])).content.decode()
    assert "Read the confidentiality statement" in page and "Vera Victimson" not in page


def test_the_confidentiality_next_url_stays_inside_meetings(client, meeting, officer):
    client.force_login(officer)
    response = client.post(
        reverse("meetings:confidentiality", args=[meeting.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("meetings:meeting", args=[meeting.pk])


def test_the_coordinator_builds_the_agenda_and_publishes(client, meeting, idva, listed_victim):
    client.force_login(idva)
    client.post(reverse("meetings:confidentiality", args=[meeting.pk]))
    client.post(reverse("meetings:case_add_listed", args=[meeting.pk]), {"person": listed_victim.pk})
    case = MeetingCase.objects.get()
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Listing rule" in page and "Visible high risk" in page
    client.post(reverse("meetings:publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_PUBLISHED and case.meeting == meeting


def test_adding_by_hand_without_a_reason_shows_the_error(client, meeting, idva, districts):
    from safehub.people.tests.factories import PersonFactory

    person = PersonFactory(owning_agency=idva.agency, district=districts["leeds"])
    client.force_login(idva)
    response = client.post(
        reverse("meetings:case_add_manual", args=[meeting.pk]), {"person": person.pk, "reason": ""}
    )
    assert "Enter why you are adding this person to the agenda" in response.content.decode()
    assert not MeetingCase.objects.exists()


def test_a_partner_adds_research_and_the_coordinator_sees_the_matrix(
    client, meeting, idva, officer, on_agenda
):
    client.force_login(officer)
    client.post(reverse("meetings:confidentiality", args=[meeting.pk]))
    response = client.post(
        reverse("meetings:research_add", args=[on_agenda.pk]), {"summary": "Two call-outs in May"}
    )
    assert response.status_code == 302 and Research.objects.get().agency.code == "wyp"
    client.force_login(idva)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Research by agency" in page and "Added" in page and "Waiting" in page


def test_minutes_posted_under_another_meeting_are_refused_with_a_message(client, meeting, idva, on_agenda):
    other = services.meeting_create(
        actor=idva, series=meeting.series, starts_at=meeting.starts_at + timedelta(days=14)
    )
    services.confidentiality_accept(actor=idva, meeting=other)
    services.agenda_publish(actor=idva, meeting=meeting)
    client.force_login(idva)
    url = reverse("meetings:case_minutes", args=[other.pk, on_agenda.pk])
    response = client.post(url, {"minutes": "Wrong", "risk_level_after": "", "decision": ""})
    assert response.status_code == 400
    assert "This person is not on this meeting&#x27;s agenda" in response.content.decode()


def test_an_action_with_no_owner_or_due_date_shows_the_errors(client, meeting, idva, on_agenda, agencies):
    client.force_login(idva)
    response = client.post(
        reverse("meetings:action_create", args=[on_agenda.pk]),
        {"description": "Safety plan", "owner_agency": agencies["police"].pk},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select the person who owns the action" in page and "Enter the due date" in page
    assert not Action.objects.exists()


def test_the_owner_updates_their_action(client, meeting, idva, officer, on_agenda, agencies):
    due = timezone.localtime(meeting.starts_at).date() + timedelta(days=3)
    action = services.action_create(
        actor=idva,
        case=on_agenda,
        description="Flag the address",
        owner_agency=agencies["police"],
        owner=officer,
        due_on=due,
    )
    client.force_login(officer)
    url = reverse("meetings:action", args=[action.pk])
    assert "Flag the address" in client.get(url).content.decode()
    client.post(url, {"status": "done", "update": "Flag added"})
    action.refresh_from_db()
    assert action.status == "done"


def test_an_outsider_gets_404_for_an_action(client, meeting, idva, officer, outsider, on_agenda, agencies):
    due = timezone.localtime(meeting.starts_at).date() + timedelta(days=3)
    action = services.action_create(
        actor=idva,
        case=on_agenda,
        description="Flag",
        owner_agency=agencies["police"],
        owner=officer,
        due_on=due,
    )
    client.force_login(outsider)
    assert client.get(reverse("meetings:action", args=[action.pk])).status_code == 404


def test_a_practitioner_refers_a_person_they_can_see(client, marac, officer, victim, outsider):
    client.force_login(officer)
    url = reverse("meetings:refer", args=[victim.pk])
    response = client.post(url, {"kind": "marac", "district": victim.district_id, "reasons": ""})
    assert "Enter the concerns and why they meet the threshold" in response.content.decode()
    response = client.post(
        url, {"kind": "marac", "district": victim.district_id, "reasons": "Threats to kill"}
    )
    assert response.status_code == 302 and victim.meeting_referrals.count() == 1
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_meeting_create_form(client, marac, idva, officer):
    client.force_login(officer)
    assert client.get(reverse("meetings:meeting_create", args=[marac.pk])).status_code == 403
    client.force_login(idva)
    day = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("meetings:meeting_create", args=[marac.pk]),
        {
            "date_0": day.day,
            "date_1": day.month,
            "date_2": day.year,
            "start_time": "10:00",
            "location": "Room 4",
        },
    )
    assert response.status_code == 302
    assert marac.meetings.get().confidentiality_statement == marac.confidentiality_statement
