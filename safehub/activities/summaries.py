"""The scrutiny report's "Key information": one plain-English sentence per partnership activity.

`key_information(force_id, start, end)` gives the sentences for the activities that ran in the
period, earliest first, for example:

    A conference on child sexual exploitation at Leeds Civic Hall on 14 March 2026 welcomed 106
    delegates from West Yorkshire Police, Leeds Children's Social Care and Leeds City Council.

`sentence(activity)` writes one; it is pure over the activity's fields (plus its districts and
force name) and copes with what is missing (no venue, no attendance, no partners).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db.models import Q

from safehub.activities.models import Activity, ActivityKind, Theme
from safehub.core.models import Force

# Each theme as a topic in a sentence ("a conference on ...").
TOPICS: dict[str, str] = {
    Theme.CSE: "child sexual exploitation",
    Theme.CCE: "child criminal exploitation",
    Theme.CSA: "child sexual abuse",
    Theme.DOMESTIC_ABUSE: "domestic abuse",
    Theme.VAWG: "violence against women and girls",
    Theme.MISSING: "missing people",
    Theme.MODERN_SLAVERY: "modern slavery",
    Theme.ONLINE_SAFETY: "online safety",
    Theme.ADULT_SAFEGUARDING: "adult safeguarding",
    Theme.GENERAL: "safeguarding",
}
MOST_NAMED = 4


def join(items: Sequence[str], *, most: int = MOST_NAMED) -> str:
    """'A', 'A and B', 'A, B and C'; past `most` names, 'A, B, C and 2 other organisations'."""
    items = [item for item in items if item]
    if len(items) > most:
        rest = len(items) - (most - 1)
        items = [*items[: most - 1], f"{rest} other organisations"]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def day_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def when(start: date, end: date | None, *, since: bool = False) -> str:
    """'on 14 March 2026', 'from 14 to 16 March 2026', 'from 28 February to 2 March 2026'; with
    `since` and no end, 'from 1 February 2026'."""
    if end is None or end == start:
        return f"from {day_text(start)}" if since and end is None else f"on {day_text(start)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"from {start.day} to {day_text(end)}"
    if start.year == end.year:
        return f"from {start.day} {start:%B} to {day_text(end)}"
    return f"from {day_text(start)} to {day_text(end)}"


def topics(themes: Iterable[str]) -> str:
    return join([TOPICS.get(code, code) for code in themes], most=3)


def count(number: int, noun: str) -> str:
    """'106 delegates', '1 delegate', '52,000 people' (naive singular: drop a final s)."""
    if number == 1 and noun.endswith("ies"):
        noun = noun[:-3] + "y"
    elif number == 1 and noun.endswith("s") and not noun.endswith("ss"):
        noun = noun[:-1]
    if number == 1 and noun == "people":
        noun = "person"
    return f"{number:,} {noun}".strip()


ARTICLE_BEFORE = ("Office of ", "University of ", "Association of ", "National ")


def org(name: str) -> str:
    """An organisation or place as it reads mid-sentence: 'the Office of the Mayor'."""
    return f"the {name}" if name.startswith(ARTICLE_BEFORE) else name


def orgs(names: Sequence[str]) -> str:
    return join([org(name) for name in names])


def _the(title: str) -> str:
    return f"the {title[4:]}" if title.lower().startswith("the ") else f"the {title}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _where(activity: Any, force_name: str) -> str:
    districts = sorted(d.name for d in activity.districts.all())
    return f"across {join(districts, most=5)}" if districts else f"across {force_name}"


def _conference(a: Any, force_name: str) -> str:
    about = f"A conference on {topics(a.themes)}"
    place = f" at {org(a.venue)}" if a.venue else ""
    head = f"{about}{place} {when(a.starts_on, a.ends_on)}"
    partners = orgs(a.partner_organisations)
    if a.attendance is not None:
        from_ = f" from {partners}" if partners else ""
        delegates = count(a.attendance, a.attendance_noun or "delegates")
        return f"{head}, led by {org(a.lead_organisation)}, welcomed {delegates}{from_}."
    with_ = f" with {partners}" if partners else ""
    return f"{head} was led by {org(a.lead_organisation)}{with_}."


def _training(a: Any, force_name: str) -> str:
    partners = orgs(a.partner_organisations)
    by = f"delivered by {org(a.lead_organisation)}" + (f" with {partners}" if partners else "")
    place = f" at {org(a.venue)}" if a.venue else ""
    head = f"Training on {topics(a.themes)}, {by}{place} {when(a.starts_on, a.ends_on)},"
    if a.attendance is not None:
        return f"{head} reached {count(a.attendance, a.attendance_noun or a.audience or 'people')}."
    audience = f" for {a.audience}" if a.audience else ""
    return f"{head[:-1]}, was run{audience}."


def _competition(a: Any, force_name: str) -> str:
    partners = orgs(a.partner_organisations)
    run_by = f", run by {org(a.lead_organisation)}" + (f" with {partners}" if partners else "")
    timing = when(a.starts_on, a.ends_on)
    if a.attendance is not None:
        noun = (a.attendance_noun or "entries").removesuffix(" entered").strip() or "entries"
        verb = "was" if a.attendance == 1 else "were"
        return f"{count(a.attendance, noun)} {verb} entered in {_the(a.title)}{run_by} {timing}."
    return f"{_capital(_the(a.title))}{run_by}, was held {timing}."


def _campaign(a: Any, force_name: str) -> str:
    title = a.title if a.title.lower().endswith("campaign") else f"{a.title} campaign"
    timing = when(a.starts_on, a.ends_on, since=True)
    head = f"{_capital(_the(title))} ({timing}), led by {org(a.lead_organisation)},"
    if a.reach is not None:
        return f"{head} reached {count(a.reach, 'people')}."
    return f"{head[:-1]}, ran {_where(a, force_name)}."


def _event(a: Any, force_name: str) -> str:
    days = "ran" if a.ends_on and a.ends_on != a.starts_on else "was held"
    head = f"{_capital(a.title)} {days} {when(a.starts_on, a.ends_on)}"
    place = f" at {org(a.venue)}" if a.venue else f" {_where(a, force_name)}"
    partners = orgs([a.lead_organisation, *a.partner_organisations])
    people = ""
    if a.attendance is not None:
        people = f", and welcomed {count(a.attendance, a.attendance_noun or 'people')}"
    elif a.reach is not None:
        people = f", and reached {count(a.reach, 'people')}"
    return f"{head}{place}, brought together by {partners}{people}."


def _initiative(a: Any, force_name: str) -> str:
    partners = orgs(a.partner_organisations)
    led = f"led by {org(a.lead_organisation)}" + (f" with {partners}" if partners else "")
    if a.ends_on and a.ends_on != a.starts_on:
        timing = f"ran {when(a.starts_on, a.ends_on)}"
    else:
        timing = f"began on {day_text(a.starts_on)}"
    sentence = f"{_capital(a.title)}, an initiative on {topics(a.themes)} {led}, {timing}"
    if a.attendance is not None:
        sentence += f" and involved {count(a.attendance, a.attendance_noun or 'people')}"
    elif a.reach is not None:
        sentence += f" and reached {count(a.reach, 'people')}"
    return f"{sentence}."


WRITERS = {
    ActivityKind.CONFERENCE: _conference,
    ActivityKind.TRAINING: _training,
    ActivityKind.COMPETITION: _competition,
    ActivityKind.CAMPAIGN: _campaign,
    ActivityKind.EVENT: _event,
    ActivityKind.INITIATIVE: _initiative,
}


def sentence(activity: Any, *, force_name: str = "") -> str:
    """One activity as a sentence for the report."""
    force_name = force_name or getattr(getattr(activity, "force", None), "name", "") or "the force area"
    return WRITERS.get(activity.kind, _initiative)(activity, force_name)


def in_period(force_id: Any, start: date, end: date) -> list[Activity]:
    """The force's activities that ran in the period: started in it, or started before it and
    ended in or after its first day. Earliest first."""
    ran = Q(starts_on__gte=start) | Q(ends_on__gte=start)
    return list(
        Activity.objects.of_force(force_id)
        .filter(ran, starts_on__lte=end)
        .prefetch_related("districts")
        .order_by("starts_on", "title")
    )


def key_information(force_id: Any, start: date, end: date) -> list[str]:
    """Sentences for the scrutiny report's "Key information" about the period's activities."""
    force = Force.objects.filter(pk=force_id).first()
    force_name = force.name if force else ""
    return [sentence(activity, force_name=force_name) for activity in in_period(force_id, start, end)]
