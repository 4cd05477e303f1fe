from datetime import date
from types import SimpleNamespace

import pytest

from safehub.activities import summaries
from safehub.activities.tests.conftest import record


class _Districts:
    def __init__(self, names):
        self.names = names

    def all(self):
        return [SimpleNamespace(name=n) for n in self.names]


def _activity(kind, **fields):
    base = {
        "kind": kind,
        "title": "Untitled",
        "themes": ["general"],
        "starts_on": date(2026, 3, 14),
        "ends_on": None,
        "venue": "",
        "lead_organisation": "Leeds Safeguarding Children Partnership",
        "partner_organisations": [],
        "audience": "",
        "attendance": None,
        "attendance_noun": "",
        "reach": None,
        "districts": _Districts(fields.pop("district_names", [])),
    }
    base.update(fields)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    "items, expected",
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "B", "C", "D"], "A, B, C and D"),
        (["A", "B", "C", "D", "E", "F"], "A, B, C and 3 other organisations"),
    ],
)
def test_join_lists_names_the_english_way(items, expected):
    assert summaries.join(items) == expected


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2026, 3, 14), None, "on 14 March 2026"),
        (date(2026, 3, 14), date(2026, 3, 14), "on 14 March 2026"),
        (date(2026, 3, 14), date(2026, 3, 16), "from 14 to 16 March 2026"),
        (date(2026, 2, 28), date(2026, 3, 2), "from 28 February to 2 March 2026"),
        (date(2025, 12, 30), date(2026, 1, 2), "from 30 December 2025 to 2 January 2026"),
    ],
)
def test_when_says_the_dates_briefly(start, end, expected):
    assert summaries.when(start, end) == expected


def test_conference_with_venue_attendance_and_partners():
    activity = _activity(
        "conference",
        themes=["cse"],
        venue="Leeds Civic Hall",
        attendance=106,
        attendance_noun="delegates",
        partner_organisations=["West Yorkshire Police", "Leeds Children's Social Care", "Leeds City Council"],
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "A conference on child sexual exploitation at Leeds Civic Hall on 14 March 2026, led by Leeds "
        "Safeguarding Children Partnership, welcomed 106 delegates from West Yorkshire Police, Leeds "
        "Children's Social Care and Leeds City Council."
    )


def test_conference_without_venue_or_attendance():
    activity = _activity(
        "conference", themes=["cce", "modern_slavery"], partner_organisations=["St Giles Trust"]
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "A conference on child criminal exploitation and modern slavery on 14 March 2026 was led by Leeds "
        "Safeguarding Children Partnership with St Giles Trust."
    )


def test_training_reached_its_audience():
    activity = _activity(
        "training",
        themes=["modern_slavery"],
        lead_organisation="Office of the Mayor",
        partner_organisations=["Hope for Justice", "ADASS"],
        attendance=240,
        attendance_noun="first responders",
        starts_on=date(2025, 10, 7),
        ends_on=date(2025, 10, 8),
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "Training on modern slavery, delivered by the Office of the Mayor with Hope for Justice and ADASS "
        "from 7 to 8 October 2025, reached 240 first responders."
    )


def test_training_without_attendance_names_the_audience():
    activity = _activity("training", themes=["domestic_abuse"], audience="call handlers", venue="Wakefield")
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "Training on domestic abuse, delivered by Leeds Safeguarding Children Partnership at Wakefield on "
        "14 March 2026, was run for call handlers."
    )


def test_competition_counts_entries():
    activity = _activity(
        "competition",
        title="Cybercrime Schools Competition",
        lead_organisation="West Yorkshire Police",
        attendance=17,
        attendance_noun="projects entered",
        starts_on=date(2026, 2, 12),
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "17 projects were entered in the Cybercrime Schools Competition, run by West Yorkshire Police "
        "on 12 February 2026."
    )


def test_competition_with_one_entry_and_no_noun():
    activity = _activity("competition", title="The poster prize", attendance=1)
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "1 entry was entered in the poster prize, run by Leeds Safeguarding Children Partnership on "
        "14 March 2026."
    )


def test_competition_without_entries_says_when_it_was_held():
    activity = _activity(
        "competition", title="Online Safety Film Prize", lead_organisation="Kirklees Council"
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "The Online Safety Film Prize, run by Kirklees Council, was held on 14 March 2026."
    )


def test_campaign_reach_and_start():
    activity = _activity(
        "campaign",
        title="Know your right to ask: Clare's Law awareness",
        lead_organisation="West Yorkshire Police",
        starts_on=date(2026, 2, 1),
        reach=52000,
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "The Know your right to ask: Clare's Law awareness campaign (from 1 February 2026), led by West "
        "Yorkshire Police, reached 52,000 people."
    )


def test_campaign_without_reach_says_where_it_ran():
    activity = _activity(
        "campaign",
        title="Spot the signs campaign",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 3, 31),
        district_names=["Leeds", "Bradford"],
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "The Spot the signs campaign (from 1 February to 31 March 2026), led by Leeds Safeguarding "
        "Children Partnership, ran across Bradford and Leeds."
    )


def test_event_across_the_force_area():
    activity = _activity(
        "event",
        title="West Yorkshire Safeguarding Week",
        starts_on=date(2025, 6, 16),
        ends_on=date(2025, 6, 20),
        lead_organisation="West Yorkshire Police",
        partner_organisations=["the five local authorities"],
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "West Yorkshire Safeguarding Week ran from 16 to 20 June 2025 across West Yorkshire, brought "
        "together by West Yorkshire Police and the five local authorities."
    )
    activity.reach = 3400
    assert summaries.sentence(activity, force_name="West Yorkshire").endswith(
        "the five local authorities, and reached 3,400 people."
    )


def test_an_office_or_university_takes_the_article():
    activity = _activity(
        "training",
        themes=["modern_slavery"],
        lead_organisation="Office of the Mayor of West Yorkshire",
        venue="University of Huddersfield",
        attendance=30,
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "Training on modern slavery, delivered by the Office of the Mayor of West Yorkshire at the "
        "University of Huddersfield on 14 March 2026, reached 30 people."
    )


def test_initiative_began_and_reached():
    activity = _activity(
        "initiative",
        title="Operation Steerside",
        themes=["cce"],
        lead_organisation="West Yorkshire Police",
        partner_organisations=["Catch22"],
        starts_on=date(2025, 9, 1),
        reach=300,
    )
    assert summaries.sentence(activity, force_name="West Yorkshire") == (
        "Operation Steerside, an initiative on child criminal exploitation led by West Yorkshire Police "
        "with Catch22, began on 1 September 2025 and reached 300 people."
    )


def test_key_information_lists_the_period_in_order(manager, districts):
    record(manager, title="Later", starts_on=date(2026, 3, 14))
    record(
        manager,
        kind="training",
        title="Earlier",
        starts_on=date(2025, 5, 1),
        attendance=12,
        attendance_noun="designated safeguarding leads",
        themes=["online_safety"],
        partner_organisations=[],
        venue="",
    )
    record(manager, title="Before the period", starts_on=date(2024, 5, 1))
    record(
        manager,
        kind="initiative",
        title="Running into the period",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 6, 30),
        attendance=None,
        partner_organisations=[],
    )
    force_id = manager.agency.force_id
    sentences = summaries.key_information(force_id, date(2025, 4, 1), date(2026, 3, 31))
    assert len(sentences) == 3
    assert sentences[0].startswith("Running into the period, an initiative on child sexual exploitation")
    assert sentences[1] == (
        "Training on online safety, delivered by Leeds Safeguarding Children Partnership on 1 May 2025, "
        "reached 12 designated safeguarding leads."
    )
    assert sentences[2].startswith(
        "A conference on child sexual exploitation at Leeds Civic Hall on 14 March 2026"
    )
    assert summaries.key_information(force_id, date(2027, 4, 1), date(2028, 3, 31)) == []
