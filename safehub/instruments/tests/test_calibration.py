"""Is the tool working? Harm outcomes within 12 months by band, from this app and registered providers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safehub.instruments import outcomes, presenters, selectors
from safehub.instruments.models import InstrumentVersion
from safehub.instruments.selectors import Calibration, CalibrationRow
from safehub.people.tests.factories import PersonFactory

from .helpers import dash_answers, yes_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_outcomes():
    """A provider standing in for the contacts app: (person, when, kind) rows set by the test."""
    rows: list = []
    calls: list = []

    def provider(person_ids, start, end):
        calls.append((set(person_ids), start, end))
        return [row for row in rows if row[0] in person_ids and start <= row[1] <= end]

    outcomes.register(
        "fake-contacts", provider, labels={"repeat_victim_contact": "Repeat incident as victim"}
    )
    yield rows, calls
    outcomes.unregister("fake-contacts")


@pytest.fixture
def world(owner, agencies, districts, assess, fake_outcomes):
    """Five people assessed with DASH v1 (and one with another instrument only)."""
    rows, calls = fake_outcomes
    now = timezone.now()
    t0 = now - timedelta(days=500)

    def new_person():
        return PersonFactory(owning_agency=agencies["leeds_csc"], district=districts["leeds"])

    p1, p2, p3, p4, p5, p6 = (new_person() for _ in range(6))
    assess(owner, p1, "dash", dash_answers(15), assessed_at=t0)  # high
    assess(owner, p1, "dash", dash_answers(16), assessed_at=t0 + timedelta(days=100))  # later high: outcome
    assess(owner, p2, "dash", dash_answers(15), assessed_at=t0)  # high
    assess(
        owner, p2, "thrive", yes_to("thrive", risk="high"), assessed_at=t0 + timedelta(days=400)
    )  # too late
    assess(owner, p3, "dash", dash_answers(11), assessed_at=t0)  # medium
    rows.append((p3.pk, t0 + timedelta(days=30), "repeat_victim_contact"))
    assess(owner, p4, "dash", dash_answers(2), assessed_at=t0)  # standard
    rows.append((p4.pk, t0 - timedelta(days=10), "serious_harm"))  # before: not an outcome
    rows.append((p4.pk, t0 + timedelta(days=365), "repeat_victim_contact"))  # last day of the 12 months
    assess(owner, p5, "dash", dash_answers(2), assessed_at=now - timedelta(days=10))  # standard, recent
    assess(owner, p6, "child-exploitation", yes_to("child-exploitation", "disclosure"), assessed_at=t0)
    return {"people": [p1, p2, p3, p4, p5, p6], "calls": calls}


def dash_v1():
    return InstrumentVersion.objects.get(instrument_id="dash", version=1)


def test_counts_each_person_once_in_the_band_of_their_first_assessment(world):
    calibration = selectors.calibration(dash_v1())

    rows = {row.level: row for row in calibration.rows}
    assert [(r.assessed, r.followed_up, r.with_outcome, r.rate) for r in calibration.rows] == [
        (2, 1, 1, 50.0),  # standard: p4 (repeat victim on day 365), p5 (recent)
        (1, 1, 1, 100.0),  # medium: p3 (repeat victim)
        (2, 2, 1, 50.0),  # high: p1 (later high DASH), p2 (later THRIVE after 12 months: no)
    ]
    assert rows["high"].by_kind == {
        "later_high_risk_assessment": 1,
        "repeat_victim_contact": 0,
        "serious_harm": 0,
    }
    assert rows["standard"].by_kind["repeat_victim_contact"] == 1
    assert rows["standard"].by_kind["serious_harm"] == 0
    total = calibration.total
    assert (total.assessed, total.followed_up, total.with_outcome, total.rate) == (5, 4, 3, 60.0)


def test_providers_are_asked_only_about_the_people_assessed_with_the_version(world):
    selectors.calibration(dash_v1())

    person_ids, start, end = world["calls"][-1]
    assert person_ids == {p.pk for p in world["people"][:5]}
    assert end - start > timedelta(days=365)


def test_another_version_counts_its_own_assessments(world, owner, dash_v2, assess):
    assess(owner, world["people"][0], "dash", dash_answers(12))

    v2 = selectors.calibration(dash_v2)
    assert [(row.level, row.assessed) for row in v2.rows] == [("standard", 0), ("medium", 0), ("high", 1)]
    assert selectors.calibration(dash_v1()).total.assessed == 5


def test_no_assessments_gives_zero_counts_and_no_rate():
    calibration = selectors.calibration(dash_v1())
    assert [(row.assessed, row.rate) for row in calibration.rows] == [(0, None)] * 3


def _calibration(counts: dict[str, tuple[int, int]]) -> Calibration:
    rows = [
        CalibrationRow(level, level, assessed=a, followed_up=a, with_outcome=w, by_kind={"serious_harm": w})
        for level, (a, w) in counts.items()
    ]
    total = CalibrationRow(
        "all",
        "All bands",
        assessed=sum(r.assessed for r in rows),
        followed_up=sum(r.followed_up for r in rows),
        with_outcome=sum(r.with_outcome for r in rows),
        by_kind={"serious_harm": sum(r.with_outcome for r in rows)},
    )
    return Calibration("dash", 1, "DASH", rows, total, ["serious_harm"], timezone.now())


def test_small_counts_are_suppressed_for_commissioners_only():
    calibration = _calibration({"standard": (40, 6), "medium": (12, 3), "high": (9, 0)})

    open_table = presenters.calibration_table(calibration, suppress=False)
    cut = presenters.calibration_table(calibration, suppress=True)

    assert [b["with_outcome"] for b in open_table["bands"]] == [6, 3, 0]
    assert [b["with_outcome"] for b in cut["bands"]] == [6, None, 0]  # 0 is not a small count
    assert cut["bands"][1]["rate"] is None and "rate" in cut["bands"][1]["suppressed"]
    assert cut["bands"][0]["rate"] == 15.0
    assert cut["total"]["with_outcome"] is None  # 9 - 6 - 0 would reveal the 3
    assert cut["total"]["assessed"] == 61
    assert cut["suppressed_below"] == 5 and open_table["suppressed_below"] is None


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("partner", 200), ("analyst", 200), ("commissioner", 200), ("auditor", 403)],
)
def test_calibration_page_by_persona(request, client, world, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("instruments:calibration", args=["dash", 1]))

    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Is it working?" in body and "Later high-risk assessment" in body
        assert ("fewer than 5" in body) == (persona == "commissioner")
        assert ("60.0%" in body) == (persona != "commissioner")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("analyst", 200), ("commissioner", 200), ("auditor", 403)],
)
def test_calibration_api_by_persona(request, api_as, world, persona, expected):
    response = api_as(request.getfixturevalue(persona)).get(
        "/api/v1/instruments/dash/versions/1/calibration/"
    )

    assert response.status_code == expected
    if expected != 200:
        return
    body = response.json()
    high = body["bands"][2]
    if persona == "commissioner":
        assert high["assessed"] is None and "assessed" in high["suppressed"]
        assert body["suppressed_below"] == 5
    else:
        assert (high["level"], high["assessed"], high["with_outcome"], high["rate"]) == ("high", 2, 1, 50.0)
        assert high["by_kind"]["later_high_risk_assessment"] == 1
        assert body["total"]["rate"] == 60.0


def test_calibration_of_a_version_that_does_not_exist_is_404(api_as, client, analyst):
    assert api_as(analyst).get("/api/v1/instruments/dash/versions/9/calibration/").status_code == 404
    client.force_login(analyst)
    assert client.get(reverse("instruments:calibration", args=["dash", 9])).status_code == 404


def test_a_provider_must_return_person_when_kind(world):
    outcomes.register("broken", lambda ids, start, end: [("not enough",)])
    try:
        with pytest.raises(ValueError, match="not \\(person_id, when, kind\\)"):
            selectors.calibration(dash_v1())
    finally:
        outcomes.unregister("broken")
