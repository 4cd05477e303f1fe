"""The listing-rule events this app owns, for `core.histories`.

- `marac_heard`: a case heard at a MARAC that was held (at the meeting's start).
- `marac_referral` / `mace_referral`: a practitioner's referral on professional judgement.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from safehub.core.rules import Event
from safehub.meetings.models import Kind, MeetingCase, MeetingReferral, MeetingStatus

EVENT_TYPES = ("marac_heard", "marac_referral", "mace_referral")
HEARD_STATUSES = (MeetingStatus.HELD, MeetingStatus.CLOSED)


def history_events(
    person_ids: set[Any] | None, since: datetime | None, until: datetime
) -> Iterator[tuple[Any, Event]]:
    """Uses indexes meeting_case_person and meeting_referral_person (given people)."""
    cases = MeetingCase.objects.filter(
        meeting__series__kind=Kind.MARAC, meeting__status__in=HEARD_STATUSES, meeting__starts_at__lte=until
    )
    referrals = MeetingReferral.objects.filter(referred_at__lte=until)
    if person_ids is not None:
        cases = cases.filter(person_id__in=list(person_ids))
        referrals = referrals.filter(person_id__in=list(person_ids))
    if since is not None:
        cases = cases.filter(meeting__starts_at__gte=since)
        referrals = referrals.filter(referred_at__gte=since)
    heard = cases.values_list("person_id", "pk", "meeting__starts_at")
    for person_id, pk, at in heard.iterator(chunk_size=2000):
        yield person_id, Event("marac_heard", at, {}, str(pk))
    rows = referrals.values_list("person_id", "pk", "referred_at", "kind")
    for person_id, pk, at, kind in rows.iterator(chunk_size=2000):
        yield person_id, Event(f"{kind}_referral", at, {}, str(pk))
