from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.activities import services
from safehub.activities.models import Activity, Establishment, TeamCapacity
from safehub.activities.tests.conftest import activity_data, campaign_data, record
from safehub.core.models import AuditEvent


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def test_manager_records_an_activity_and_it_is_audited(manager, districts):
    activity = record(manager, districts=[districts["leeds"]], cost="£1,250.50")
    assert activity.force_id == manager.agency.force_id
    assert activity.cost == Decimal("1250.50")
    assert [d.code for d in activity.districts.all()] == ["leeds"]
    event = AuditEvent.objects.get(object_id=str(activity.pk), action="create")
    assert event.actor == manager
    assert "attendance" in event.fields and "districts" in event.fields


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"title": "  "}, "title", "Enter the title of the activity"),
        ({"kind": "party"}, "kind", "Select the kind of activity"),
        ({"starts_on": None}, "starts_on", "Enter the date the activity started (or starts)"),
        ({"themes": []}, "themes", "Select at least one theme"),
        ({"themes": ["cse", "knitting"]}, "themes", "knitting is not a theme: choose themes on the list"),
        ({"lead_organisation": ""}, "lead_organisation", "Enter the organisation that led the activity"),
        (
            {"ends_on": date(2026, 3, 13)},
            "ends_on",
            "The end date must be the same as or after the start date",
        ),
        ({"attendance": -1}, "attendance", "Enter attendance as 0 or more"),
        ({"attendance": "lots"}, "attendance", "Enter attendance as a whole number"),
        ({"reach": -5}, "reach", "Enter the number of people reached as 0 or more"),
        ({"cost": "-10"}, "cost", "Enter the cost as 0 or more"),
        ({"cost": "ten pounds"}, "cost", "Enter the cost in pounds and pence, like 1250.00"),
        ({"cost": "10.005"}, "cost", "Enter the cost to the nearest penny"),
        ({"title": "x" * 201}, "title", "Enter no more than 200 characters"),
        ({"attendance": 10**12}, "attendance", "Enter attendance as a number no more than 2,000,000,000"),
        ({"reach": float("inf")}, "reach", "Enter the number of people reached as a whole number"),
        ({"cost": "1e999999999"}, "cost", "Enter a cost under £1,000,000,000"),
    ],
)
def test_each_bad_input_is_refused_by_name_and_nothing_is_saved(manager, change, field, message):
    with pytest.raises(ValidationError) as caught:
        record(manager, **change)
    assert _errors(caught)[field] == [message]
    assert Activity.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="activities.activity").exists()


def test_every_bad_field_is_named_at_once(manager):
    with pytest.raises(ValidationError) as caught:
        record(manager, title="", themes=[], attendance=-1)
    assert set(_errors(caught)) == {"title", "themes", "attendance"}


def test_a_district_of_another_partnership_is_refused(manager, other_manager):
    york = other_manager.agency.districts.get()
    with pytest.raises(ValidationError) as caught:
        record(manager, districts=[york])
    assert _errors(caught)["districts"] == ["Select districts in the partnership's area"]
    with pytest.raises(ValidationError):
        record(manager, districts=["york"])
    assert Activity.objects.count() == 0


def test_attendance_cannot_be_recorded_before_the_activity_starts(manager):
    future = timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationError) as caught:
        record(manager, starts_on=future, attendance=50, reach=10)
    assert _errors(caught) == {
        "attendance": ["Attendance cannot be recorded for an activity that has not started yet"],
        "reach": ["Reach cannot be recorded for an activity that has not started yet"],
    }
    planned = record(manager, starts_on=future, attendance=None)
    assert planned.attendance is None


def test_a_campaign_needs_a_target_measure(manager, fake_targets):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(actor=manager, **campaign_data(target_series=""))
    assert _errors(caught)["target_series"] == ["Select the measure the campaign set out to change"]


def test_a_campaign_target_is_checked_by_the_analytics_provider(manager, fake_targets):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(actor=manager, **campaign_data(target_series="nonsense.series"))
    assert _errors(caught)["target_series"] == ["There is no measure 'nonsense.series'"]
    with pytest.raises(ValidationError) as caught:
        services.activity_create(actor=manager, **campaign_data(starts_on=date(2019, 1, 1)))
    assert "inside the measure's data" in _errors(caught)["starts_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.activity_create(actor=manager, **campaign_data(target_district="york"))
    assert "target_district" in _errors(caught)
    assert Activity.objects.count() == 0
    campaign = services.activity_create(actor=manager, **campaign_data())
    assert (campaign.target_series, campaign.target_category) == ("contacts.demand", "domestic")


def test_without_analytics_no_campaign_can_be_recorded(manager):
    from safehub.activities import targets

    saved = (targets._choices, targets._check)
    targets._choices = targets._check = None
    try:
        with pytest.raises(ValidationError) as caught:
            services.activity_create(actor=manager, **campaign_data())
    finally:
        targets._choices, targets._check = saved
    assert "analytics app is not installed" in _errors(caught)["target_series"][0]


def test_a_target_given_to_another_kind_is_dropped(manager):
    activity = record(manager, target_series="contacts.demand", target_category="domestic")
    assert (activity.target_series, activity.target_category) == ("", "")


def test_update_changes_fields_and_audits_only_what_changed(manager, districts):
    activity = record(manager)
    updated = services.activity_update(
        actor=manager, activity=activity, attendance=110, districts=[districts["leeds"]]
    )
    assert updated.attendance == 110
    event = AuditEvent.objects.get(object_id=str(activity.pk), action="update")
    assert event.fields == ["attendance", "districts"]


def test_update_is_validated_as_a_whole_and_saves_nothing_on_error(manager):
    activity = record(manager)
    with pytest.raises(ValidationError) as caught:
        services.activity_update(actor=manager, activity=activity, ends_on=date(2026, 1, 1), title="New")
    assert "ends_on" in _errors(caught)
    activity.refresh_from_db()
    assert activity.title == "Child sexual exploitation conference"
    with pytest.raises(ValidationError) as caught:
        services.activity_update(actor=manager, activity=activity, created_by=None)
    assert _errors(caught) == {"created_by": ["This field cannot be changed"]}


def test_only_the_partnership_manager_writes(manager, analyst, commissioner, auditor, officer):
    activity = record(manager)
    for user in (analyst, commissioner, auditor, officer):
        with pytest.raises(PermissionDenied):
            record(user)
        with pytest.raises(PermissionDenied):
            services.activity_update(actor=user, activity=activity, title="Changed")
    assert Activity.objects.count() == 1


def test_the_manager_of_another_partnership_cannot_change_it(manager, other_manager):
    activity = record(manager)
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=other_manager, activity=activity, title="Changed")


def test_readers(manager, analyst, commissioner, auditor, officer, owner):
    assert [services.may_read(u) for u in (manager, analyst, commissioner, auditor, officer, owner)] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert [services.may_manage(u) for u in (manager, analyst, commissioner, auditor)] == [
        True,
        False,
        False,
        False,
    ]


# --- establishment and workload --------------------------------------------------------------


def _establish(manager, team, **overrides):
    data = {
        "role": "Social worker",
        "effective_from": date(2026, 4, 1),
        "establishment_fte": "8",
        "in_post_fte": "7.5",
    }
    data.update(overrides)
    return services.establishment_record(actor=manager, team=team, **data)


def test_establishment_is_recorded_and_audited(manager, teams):
    record_ = _establish(manager, teams["leeds_mash"])
    assert (record_.establishment_fte, record_.in_post_fte) == (Decimal("8.00"), Decimal("7.50"))
    assert AuditEvent.objects.filter(object_id=str(record_.pk), action="create", actor=manager).count() == 1


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"establishment_fte": "-1"}, "establishment_fte", "The establishment cannot be negative"),
        ({"in_post_fte": "-0.5"}, "in_post_fte", "The number in post cannot be negative"),
        (
            {"in_post_fte": "eight"},
            "in_post_fte",
            "Enter the number in post as a number of full-time equivalents, like 7.5",
        ),
        (
            {"establishment_fte": "7.125"},
            "establishment_fte",
            "Enter the establishment to no more than 2 decimal places",
        ),
        ({"role": " "}, "role", "Enter the role, like Social worker"),
        (
            {"establishment_fte": "1e99999"},
            "establishment_fte",
            "Enter the establishment as less than 100,000",
        ),
        ({"effective_from": None}, "effective_from", "Enter the date the figures apply from"),
        (
            {"in_post_fte": "9"},
            "note",
            "Add a note saying why more people are in post than the establishment (for example, cover)",
        ),
    ],
)
def test_bad_establishment_is_refused_and_nothing_saved(manager, teams, change, field, message):
    with pytest.raises(ValidationError) as caught:
        _establish(manager, teams["leeds_mash"], **change)
    assert _errors(caught)[field] == [message]
    assert Establishment.objects.count() == 0


def test_more_in_post_than_establishment_is_allowed_with_a_note(manager, teams):
    record_ = _establish(manager, teams["leeds_mash"], in_post_fte="9", note="Cover for maternity leave")
    assert record_.in_post_fte == Decimal("9.00")


def test_the_same_role_twice_on_one_day_is_refused(manager, teams):
    _establish(manager, teams["leeds_mash"])
    with pytest.raises(ValidationError) as caught:
        _establish(manager, teams["leeds_mash"], establishment_fte="9")
    assert _errors(caught)["effective_from"] == [
        "Figures for Social worker from this date are already recorded"
    ]


def test_establishment_of_another_partnerships_team_is_refused(manager, other_manager, teams):
    with pytest.raises(PermissionDenied):
        _establish(other_manager, teams["leeds_mash"])
    with pytest.raises(PermissionDenied):
        services.workload_set(actor=other_manager, team=teams["leeds_mash"], workload="mash")


def test_workload_is_set_then_changed_and_audited(manager, teams, analyst):
    team = teams["missing"]
    services.workload_set(actor=manager, team=team, workload="missing")
    services.workload_set(actor=manager, team=team, workload="missing")  # no change: no event
    capacity = services.workload_set(actor=manager, team=team, workload="exploitation")
    assert TeamCapacity.objects.get(team=team).workload == "exploitation"
    actions = list(
        AuditEvent.objects.filter(object_id=str(capacity.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    with pytest.raises(ValidationError) as caught:
        services.workload_set(actor=manager, team=team, workload="knitting")
    assert _errors(caught) == {"workload": ["Select the kind of work the team does"]}
    with pytest.raises(PermissionDenied):
        services.workload_set(actor=analyst, team=team, workload="mash")


def test_activity_data_helper_is_valid(manager):
    assert set(activity_data()) <= set(services.ACTIVITY_FIELDS)
