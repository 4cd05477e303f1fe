"""RAG due times across weekends and bank holidays; the 1 working day decision clock; the
escalation rule (3 green about one child in 90 days raises to amber, 2 do not)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safehub.referrals import services

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def _triage(mash, referral, rag, reason="Rated"):
    return services.referral_triage(
        actor=mash, referral=referral, expected_version=referral.version, rag=rag, reason=reason
    )


@pytest.mark.parametrize(
    ("received", "rag", "due"),
    [
        # Red, 4 working hours (09:00-17:00): Friday 15:00 → Monday 11:00 across the weekend.
        (at(2026, 11, 20, 15, 0), "red", at(2026, 11, 23, 11, 0)),
        # Amber, 24 working hours = 3 working days: Thursday 10:00 → Tuesday 10:00.
        (at(2026, 11, 19, 10, 0), "amber", at(2026, 11, 24, 10, 0)),
        # Red across the Christmas bank holidays: Thursday 24 Dec 16:00 → Tuesday 29 Dec 12:00
        # (Friday 25 Dec and Monday 28 Dec, the substitute Boxing Day, are bank holidays).
        (at(2026, 12, 24, 16, 0), "red", at(2026, 12, 29, 12, 0)),
        # Green, 72 working hours = 9 working days from Friday 09:00 before the August bank holiday
        # (Monday 31 Aug): runs out at 17:00 on Thursday 10 Sep.
        (at(2026, 8, 28, 9, 0), "green", at(2026, 9, 10, 17, 0)),
        # Received on a Saturday: counted from Monday 09:00.
        (at(2026, 11, 21, 12, 0), "red", at(2026, 11, 23, 13, 0)),
    ],
)
def test_rag_due_times(make_referral, school_user, child, mash, received, rag, due):
    with time_machine.travel(received + timedelta(minutes=5), tick=False):
        referral = make_referral(school_user, child, received_at=received)
        referral = _triage(mash, referral, rag)
    assert referral.due_at == due


def test_decision_clock_one_working_day(make_referral, school_user, child):
    # Friday 1 May 2026 14:00 → Tuesday 5 May 14:00 (Monday 4 May is the early May bank holiday).
    received = at(2026, 5, 1, 14, 0)
    with time_machine.travel(received, tick=False):
        referral = make_referral(school_user, child, received_at=received)
    assert referral.decision_due_at == at(2026, 5, 5, 14, 0)


def test_adult_only_referral_has_no_childrens_decision_clock(school_user, person, share, districts):
    from safehub.referrals.tests.conftest import referral_fields

    referral = services.referral_create(
        actor=school_user,
        district=districts["leeds"],
        subjects=[{"person": person, "is_child": False}],
        **referral_fields(child_seen="not_applicable", seen_alone=""),
    )
    assert referral.decision_due_at is None


def _green_referrals(make_referral, school_user, child, mash, days_ago):
    now = at(2026, 11, 23, 10, 0)
    results = []
    with time_machine.travel(now, tick=False):
        for days in days_ago:
            referral = make_referral(school_user, child, received_at=now - timedelta(days=days))
            results.append(_triage(mash, referral, "green", "Early help level"))
    return results


def test_third_green_in_90_days_is_raised_to_amber_with_the_reason(make_referral, school_user, child, mash):
    first, second, third = _green_referrals(make_referral, school_user, child, mash, [80, 40, 0])
    assert (first.rag, second.rag) == ("green", "green")
    assert third.rag == "amber"
    assert third.escalated
    assert "Raised from green to amber" in third.escalation_reason
    assert "3 MASH referrals" in third.escalation_reason
    # The due time follows the raised rating.
    assert third.due_at == services.clocks.due(services.effective_clock("mash-amber"), third.received_at)


def test_two_greens_do_not_escalate(make_referral, school_user, child, mash):
    _, second = _green_referrals(make_referral, school_user, child, mash, [30, 0])
    assert second.rag == "green" and not second.escalated


def test_greens_outside_90_days_do_not_escalate(make_referral, school_user, child, mash):
    *_, third = _green_referrals(make_referral, school_user, child, mash, [120, 100, 0])
    assert third.rag == "green" and not third.escalated


def test_escalation_shown_on_the_page(client, make_referral, school_user, child, mash):
    from django.urls import reverse

    *_, third = _green_referrals(make_referral, school_user, child, mash, [10, 5, 0])
    client.force_login(mash)
    page = client.get(reverse("referrals:detail", args=[third.pk])).content.decode()
    assert "Escalated:" in page and "Raised from green to amber" in page
