"""Meetings services: listing, the agenda, confidentiality, research, minutes, decisions, actions,
transfers and referrals, including the bad input the issue names (nothing saved on error)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.core.models import AuditEvent, Notification
from safehub.meetings import selectors, services
from safehub.meetings.models import (
    Action,
    Attendance,
    CaseTransfer,
    Kind,
    ListedBy,
    MeetingCase,
    MeetingSeries,
    MeetingStatus,
    Research,
)
from safehub.meetings.tests.conftest import STATEMENT, da_contact
from safehub.people.models import ChronologyEvent
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_candidates_show_the_rules_that_fired_with_evidence(marac, idva, listed_victim):
    found = selectors.listing_candidates(idva, marac)
    assert [c.person for c in found.candidates] == [listed_victim]
    titles = {f.title: f for f in found.candidates[0].fired}
    assert {"Visible high risk", "Potential escalation"} <= set(titles)
    assert "score 15" in titles["Visible high risk"].reason
    assert len(titles["Potential escalation"].evidence) == 3
    listed = AuditEvent.objects.filter(action="listed", actor=idva, person_id=listed_victim.pk)
    assert listed.count() == 1


def test_candidates_are_the_series_district_only(marac, idva, officer, districts, agencies):
    elsewhere = PersonFactory(owning_agency=agencies["police"], district=districts["bradford"])
    for days in (30, 20, 10):
        da_contact(officer, elsewhere, days_ago=days)
    assert selectors.listing_candidates(idva, marac).candidates == []


def test_only_a_coordinator_lists_candidates(marac, officer):
    with pytest.raises(PermissionDenied):
        selectors.listing_candidates(officer, marac)


def test_mace_candidates_are_children_and_unknown_ages_are_marked(
    districts, agencies, idva_agency, idva, officer
):
    mace = MeetingSeries.objects.create(
        kind=Kind.MACE,
        district=districts["leeds"],
        name="Leeds MACE",
        coordinating_agency=idva_agency,
        confidentiality_statement=STATEMENT,
    )
    mace.coordinators.add(idva)
    child = PersonFactory(
        owning_agency=agencies["police"], district=districts["leeds"], date_of_birth=date(2012, 1, 1)
    )
    unknown = PersonFactory(owning_agency=agencies["police"], district=districts["leeds"], date_of_birth=None)
    adult = PersonFactory(
        owning_agency=agencies["police"], district=districts["leeds"], date_of_birth=date(1980, 1, 1)
    )
    for person in (child, unknown, adult):
        services.meeting_referral_create(
            actor=officer,
            person=person,
            kind=Kind.MACE,
            district=districts["leeds"],
            reasons="Seen with older men",
        )
    found = selectors.listing_candidates(idva, mace)
    statuses = {c.person.pk: c.age_status for c in found.candidates}
    assert statuses == {child.pk: "child", unknown.pk: "unknown"}
    assert found.candidates[0].fired[0].title == "Practitioner referral"


def test_adding_a_candidate_keeps_the_rules_and_version_and_marks_them_already_listed(
    meeting, idva, listed_victim
):
    case = services.case_add_listed(actor=idva, meeting=meeting, person=listed_victim)
    assert case.listed_by == ListedBy.RULE and case.ruleset_version == 1
    assert {r["title"] for r in case.rules_fired} >= {"Visible high risk", "Potential escalation"}
    assert case.rules_fired[0]["evidence"][0]["ref"]
    assert case.referring_agency.code == "wyp"  # the police hold the evidence
    assert case.risk_level_before == "high"
    assert case.owning_agency == meeting.series.coordinating_agency
    found = selectors.listing_candidates(idva, meeting.series)
    assert found.candidates == [] and [c.person for c in found.already_listed] == [listed_victim]


def test_new_evidence_after_the_listing_makes_them_a_candidate_again(meeting, idva, officer, listed_victim):
    services.case_add_listed(actor=idva, meeting=meeting, person=listed_victim)
    MeetingCase.objects.update(created_at=timezone.now() - timedelta(days=3))
    da_contact(officer, listed_victim, days_ago=1)
    assert [c.person for c in selectors.listing_candidates(idva, meeting.series).candidates] == [
        listed_victim
    ]


def test_a_person_no_rule_lists_cannot_be_added_as_a_candidate(meeting, idva, victim):
    with pytest.raises(ValidationError, match="No listing rule fires"):
        services.case_add_listed(actor=idva, meeting=meeting, person=victim)
    assert not MeetingCase.objects.exists()


def test_adding_by_hand_needs_a_reason_and_a_person_the_coordinator_can_see(
    meeting, idva, victim, agencies, districts
):
    own = PersonFactory(owning_agency=idva.agency, district=districts["leeds"])
    with pytest.raises(ValidationError, match="Enter why"):
        services.case_add_manual(actor=idva, meeting=meeting, person=own, reason="  ")
    with pytest.raises(ValidationError, match="Select a person you can see"):
        services.case_add_manual(actor=idva, meeting=meeting, person=victim, reason="Concerns")
    case = services.case_add_manual(
        actor=idva, meeting=meeting, person=own, reason="Stalking disclosed to the IDVA"
    )
    assert case.listed_by == ListedBy.MANUAL and case.manual_reason == "Stalking disclosed to the IDVA"
    with pytest.raises(ValidationError, match="already on the agenda"):
        services.case_add_manual(actor=idva, meeting=meeting, person=own, reason="Again")


def test_cases_kept_on_review_carry_forward_to_the_next_meeting(meeting, idva, on_agenda):
    services.agenda_publish(actor=idva, meeting=meeting)
    services.case_minutes_record(
        actor=idva,
        meeting=meeting,
        case=on_agenda,
        minutes="Discussed",
        risk_level_after="high",
        decision="keep_reviewing",
    )
    services.meeting_mark_held(actor=idva, meeting=meeting)
    later = services.meeting_create(
        actor=idva, series=meeting.series, starts_at=meeting.starts_at + timedelta(days=28)
    )
    added = services.cases_carry_forward(actor=idva, meeting=later)
    assert [(c.listed_by, c.review_of) for c in added] == [(ListedBy.REVIEW, on_agenda)]
    assert added[0].is_repeat  # heard at the earlier meeting, within 12 months
    assert services.cases_carry_forward(actor=idva, meeting=later) == []


def test_removing_a_case_needs_a_reason_and_only_before_publication(meeting, idva, on_agenda):
    with pytest.raises(ValidationError, match="Enter why"):
        services.case_remove(actor=idva, case=on_agenda, reason="")
    services.agenda_publish(actor=idva, meeting=meeting)
    with pytest.raises(ValidationError, match="only be removed before"):
        services.case_remove(actor=idva, case=on_agenda, reason="Duplicate")
    assert MeetingCase.objects.filter(pk=on_agenda.pk).exists()


def test_removing_before_publication_is_audited_with_the_reason(meeting, idva, on_agenda):
    case_id = str(on_agenda.pk)
    services.case_remove(actor=idva, case=on_agenda, reason="Heard at the Bradford MARAC instead")
    assert not MeetingCase.objects.exists()
    event = AuditEvent.objects.get(action="delete", object_id=case_id)
    assert event.reason == "Heard at the Bradford MARAC instead"


def test_publishing_tells_member_agencies_without_personal_data(
    meeting, idva, on_agenda, agencies, listed_victim
):
    services.agenda_publish(actor=idva, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_PUBLISHED
    sent = Notification.objects.filter(kind="agenda_published")
    assert {n.recipient_agency.code for n in sent} == {"wyp", "leeds-csc", "wy-idva"}
    for notification in sent:
        assert listed_victim.family_name not in notification.title + notification.body
        assert notification.person_id is None


def test_publishing_an_empty_agenda_is_refused(meeting, idva):
    with pytest.raises(ValidationError, match="at least one case"):
        services.agenda_publish(actor=idva, meeting=meeting)


def test_accepting_the_statement_is_recorded_and_audited(meeting, officer):
    attendance = services.confidentiality_accept(actor=officer, meeting=meeting)
    assert attendance.confidentiality_accepted_at is not None and attendance.agency.code == "wyp"
    assert AuditEvent.objects.filter(
        object_id=str(attendance.pk), reason__contains="confidentiality"
    ).exists()


def test_an_outsider_cannot_accept_or_be_invited(meeting, idva, outsider):
    with pytest.raises(PermissionDenied):
        services.confidentiality_accept(actor=outsider, meeting=meeting)
    with pytest.raises(ValidationError, match="member agencies"):
        services.attendee_invite(actor=idva, meeting=meeting, user=outsider)
    assert not Attendance.objects.filter(user=outsider).exists()


def test_research_needs_acceptance_and_is_for_the_members_own_agency(meeting, officer, partner, on_agenda):
    with pytest.raises(PermissionDenied, match="confidentiality"):
        services.research_add(actor=officer, case=on_agenda, summary="Two call-outs")
    services.confidentiality_accept(actor=officer, meeting=meeting)
    with pytest.raises(ValidationError, match="nothing known"):
        services.research_add(actor=officer, case=on_agenda, summary=" ")
    research = services.research_add(actor=officer, case=on_agenda, summary="", nothing_known=True)
    assert research.agency.code == "wyp" and research.summary == "Nothing known to this agency."
    matrix = selectors.research_matrix(meeting, [on_agenda])
    cells = dict(zip([a.code for a in matrix["agencies"]], matrix["rows"][0]["cells"], strict=True))
    assert cells == {"leeds-csc": False, "wyp": True, "wy-idva": False}


def test_minutes_for_a_case_on_another_meeting_are_refused(meeting, idva, on_agenda):
    other = services.meeting_create(
        actor=idva, series=meeting.series, starts_at=meeting.starts_at + timedelta(days=14)
    )
    services.agenda_publish(actor=idva, meeting=meeting)
    with pytest.raises(ValidationError, match="not on this meeting's agenda"):
        services.case_minutes_record(actor=idva, meeting=other, case=on_agenda, minutes="Wrong meeting")
    on_agenda.refresh_from_db()
    assert on_agenda.minutes == ""


def test_closing_a_mace_case_still_at_high_risk_needs_a_reason(
    districts, agencies, idva_agency, idva, officer
):
    mace = MeetingSeries.objects.create(
        kind=Kind.MACE,
        district=districts["leeds"],
        name="Leeds MACE",
        coordinating_agency=idva_agency,
        confidentiality_statement=STATEMENT,
    )
    mace.coordinators.add(idva)
    child = PersonFactory(
        owning_agency=idva_agency, district=districts["leeds"], date_of_birth=date(2011, 6, 1)
    )
    meeting = services.meeting_create(actor=idva, series=mace, starts_at=timezone.now() + timedelta(days=1))
    case = services.case_add_manual(actor=idva, meeting=meeting, person=child, reason="Missing three times")
    services.agenda_publish(actor=idva, meeting=meeting)
    with pytest.raises(ValidationError, match="stays on review"):
        services.case_minutes_record(
            actor=idva, meeting=meeting, case=case, risk_level_after="significant", decision="close"
        )
    with pytest.raises(ValidationError, match="Only a MARAC case"):
        services.case_minutes_record(
            actor=idva,
            meeting=meeting,
            case=case,
            risk_level_after="low",
            decision="transfer",
            decision_reason="Moved",
            transfer_to_area="Kent MACE",
        )
    services.case_minutes_record(
        actor=idva,
        meeting=meeting,
        case=case,
        risk_level_after="low",
        decision="close",
        decision_reason="Risk reduced",
    )
    case.refresh_from_db()
    assert case.decision == "close"


def test_transfer_to_another_district_lists_the_case_at_its_next_meeting(
    meeting, idva, on_agenda, bradford_marac, outsider
):
    upcoming = services.meeting_create(
        actor=outsider, series=bradford_marac, starts_at=timezone.now() + timedelta(days=20)
    )
    services.agenda_publish(actor=idva, meeting=meeting)
    services.case_minutes_record(
        actor=idva,
        meeting=meeting,
        case=on_agenda,
        risk_level_after="high",
        decision="transfer",
        decision_reason="Victim moved to Bradford",
        transfer_to_series=bradford_marac,
    )
    transfer = CaseTransfer.objects.get(case=on_agenda)
    assert transfer.to_series == bradford_marac
    moved = upcoming.cases.get()
    assert moved.listed_by == ListedBy.TRANSFER and moved.review_of == on_agenda
    assert (
        moved.owning_agency == bradford_marac.coordinating_agency
        and moved.district == bradford_marac.district
    )


def test_transfer_outside_needs_an_area_and_writes_chronology(meeting, idva, on_agenda):
    services.agenda_publish(actor=idva, meeting=meeting)
    with pytest.raises(ValidationError) as error:
        services.case_minutes_record(
            actor=idva,
            meeting=meeting,
            case=on_agenda,
            risk_level_after="high",
            decision="transfer",
            decision_reason="Moved",
        )
    assert "transfer_to_series" in error.value.message_dict
    assert not CaseTransfer.objects.exists()
    services.case_minutes_record(
        actor=idva,
        meeting=meeting,
        case=on_agenda,
        risk_level_after="high",
        decision="transfer",
        decision_reason="Moved",
        transfer_to_area="Kent and Medway MARAC",
    )
    assert ChronologyEvent.objects.filter(summary__contains="Kent and Medway MARAC").exists()


def test_marking_held_writes_chronology_without_minutes(meeting, idva, on_agenda, listed_victim):
    services.agenda_publish(actor=idva, meeting=meeting)
    services.case_minutes_record(
        actor=idva, meeting=meeting, case=on_agenda, minutes="Secret details of the plan"
    )
    services.meeting_mark_held(actor=idva, meeting=meeting)
    entry = ChronologyEvent.objects.get(person=listed_victim, kind="marac")
    assert entry.summary == "Heard at Leeds MARAC" and "Secret" not in entry.summary
    with pytest.raises(ValidationError, match="every case"):
        services.meeting_close(actor=idva, meeting=meeting)


def test_an_action_needs_an_owner_and_a_due_date_not_before_the_meeting(
    meeting, idva, officer, on_agenda, agencies, partner
):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=idva,
            case=on_agenda,
            description="Safety plan",
            owner_agency=agencies["police"],
            owner=None,
            due_on=None,
        )
    assert set(error.value.message_dict) == {"owner", "due_on"}
    day_before = timezone.localtime(meeting.starts_at).date() - timedelta(days=1)
    with pytest.raises(ValidationError, match="on or after the day of the meeting"):
        services.action_create(
            actor=idva,
            case=on_agenda,
            description="Plan",
            owner_agency=agencies["police"],
            owner=officer,
            due_on=day_before,
        )
    with pytest.raises(ValidationError, match="member agency"):
        services.action_create(
            actor=idva,
            case=on_agenda,
            description="Plan",
            owner_agency=agencies["leeds_school"],
            owner=partner,
            due_on=date.today() + timedelta(days=30),
        )
    with pytest.raises(ValidationError, match="works for West Yorkshire Police"):
        services.action_create(
            actor=idva,
            case=on_agenda,
            description="Plan",
            owner_agency=agencies["police"],
            owner=partner,
            due_on=date.today() + timedelta(days=30),
        )
    assert not Action.objects.exists()


def test_only_coordinators_record_actions_and_owners_update_them(
    meeting, idva, officer, on_agenda, agencies, owner
):
    due = timezone.localtime(meeting.starts_at).date() + timedelta(days=14)
    with pytest.raises(PermissionDenied):
        services.action_create(
            actor=officer,
            case=on_agenda,
            description="Plan",
            owner_agency=agencies["police"],
            owner=officer,
            due_on=due,
        )
    action = services.action_create(
        actor=idva,
        case=on_agenda,
        description="Flag the address",
        owner_agency=agencies["police"],
        owner=officer,
        due_on=due,
    )
    with pytest.raises(ValidationError, match="why the action is cancelled"):
        services.action_update(actor=officer, action=action, status="cancelled")
    with pytest.raises(PermissionDenied):
        services.action_update(actor=owner, action=action, status="done", update="Done")
    services.action_update(actor=officer, action=action, status="done", update="Address flagged")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None


def test_a_practitioner_referral_makes_the_person_a_candidate(marac, idva, officer, victim, districts):
    with pytest.raises(ValidationError, match="Enter the concerns"):
        services.meeting_referral_create(
            actor=officer, person=victim, kind="marac", district=districts["leeds"], reasons=""
        )
    with pytest.raises(ValidationError, match="no MACE"):
        services.meeting_referral_create(
            actor=officer, person=victim, kind="mace", district=districts["leeds"], reasons="X"
        )
    services.meeting_referral_create(
        actor=officer, person=victim, kind="marac", district=districts["leeds"], reasons="Threats to kill"
    )
    found = selectors.listing_candidates(idva, marac)
    assert [f.title for f in found.candidates[0].fired] == ["Professional judgement (referral)"]
    assert ChronologyEvent.objects.filter(person=victim, summary="Referred to MARAC (Leeds)").exists()


def test_a_referral_about_someone_the_referrer_cannot_see_is_refused(marac, outsider, victim, districts):
    with pytest.raises(PermissionDenied):
        services.meeting_referral_create(
            actor=outsider, person=victim, kind="marac", district=districts["leeds"], reasons="X"
        )


def test_nothing_is_saved_when_a_later_step_fails(meeting, idva, on_agenda, monkeypatch):
    """Minutes and a transfer are one transaction: a failure in the transfer leaves no minutes."""
    services.agenda_publish(actor=idva, meeting=meeting)

    def broken(*args, **kwargs):
        raise ValidationError({"transfer_to_area": "Transfer failed"})

    monkeypatch.setattr(services, "_transfer", broken)
    with pytest.raises(ValidationError):
        services.case_minutes_record(
            actor=idva,
            meeting=meeting,
            case=on_agenda,
            minutes="Discussed",
            risk_level_after="high",
            decision="transfer",
            decision_reason="Moved",
            transfer_to_area="Kent",
        )
    on_agenda.refresh_from_db()
    assert on_agenda.minutes == "" and on_agenda.decision == ""


def test_research_rows_are_scoped_through_the_case(meeting, officer, on_agenda):
    services.confidentiality_accept(actor=officer, meeting=meeting)
    services.research_add(actor=officer, case=on_agenda, summary="Known to police")
    assert Research.objects.visible_to(officer).count() == 0  # members read research through the meeting
