"""Synthetic practice reviews for the demo world: Leeds children (from the person index, held by
Leeds children's social care) at every stage, on the real clocks and counted back from today:
- a serious incident learned of yesterday (notification due) and one learned of two weeks ago
  and never notified (overdue);
- a notification sent a month ago with no rapid review (overdue);
- a rapid review held, the decision on a local review still to make;
- a local review on track, and one past its 6 months (overdue), each with recommendations;
- a published local review with learning themes and recommendations (some complete, some overdue);
- a rapid review that decided no local review was needed.
Recommendations go on the one tracker, linked to their review. The full size adds a second year.

Idempotent: the `job:demo` create events are the sentinel; a second call adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from safehub.core import audit, clocks
from safehub.core import demo as core_demo
from safehub.core.clock_settings import effective_clock
from safehub.core.models import AuditAction, User
from safehub.people import chronology
from safehub.people.models import Person
from safehub.recommendations.models import EvidenceNote, Recommendation, SourceKind, Status
from safehub.reviews import rules
from safehub.reviews.models import Decision, IncidentKind, PracticeReview

Progress = Callable[[str, int, int], None]
JOB = core_demo.DEMO_JOB
SIZES = {"small": 1, "full": 2}

# (name, incident kind, days since learned, stage reached, months since the local review began)
PLAN = [
    ("Child A", IncidentKind.SERIOUS_HARM, 1, "notification", None),
    ("Child B", IncidentKind.SERIOUS_HARM, 14, "notification", None),
    ("Child C", IncidentKind.DEATH, 30, "rapid_review", None),
    ("Child D", IncidentKind.SERIOUS_HARM, 30, "decision", None),
    ("Child E", IncidentKind.SERIOUS_HARM, 120, "lcspr", 2),
    ("Child F", IncidentKind.DEATH, 290, "lcspr", 8),
    ("Child G", IncidentKind.SERIOUS_HARM, 320, "published", 9),
    ("Child H", IncidentKind.SERIOUS_HARM, 90, "closed", None),
]

SUMMARIES = {
    IncidentKind.SERIOUS_HARM: "Admitted to hospital with unexplained injuries; neglect suspected.",
    IncidentKind.DEATH: "Sudden unexpected death of an infant; concerns about neglect at home.",
}

FINDINGS = (
    "Agencies held pieces of information that were not brought together. Immediate actions: a "
    "strategy discussion for the siblings, and a reminder to health visitors about escalation."
)

# (text, owner username, days from the review's decision to the due date, status)
REVIEW_RECOMMENDATIONS = [
    (
        "Share concerns about bruising in non-mobile babies with children's social care the same day.",
        "health",
        60,
        Status.COMPLETED,
    ),
    (
        "Refresh the multi-agency escalation policy and train front-line staff on using it.",
        "socialcare",
        90,
        Status.IN_PROGRESS,
    ),
    (
        "Police to check for children in the household at every domestic abuse call and record it.",
        "officer",
        120,
        Status.OPEN,
    ),
]

DONE_NOTE = "Same-day sharing is in the bruising protocol; an audit of 30 referrals shows it followed."
PROGRESS_NOTE = "Policy redrafted; training dates set for next quarter."


def already_loaded() -> int:
    return core_demo.created_by_demo("reviews.practicereview")


def _children(today: date) -> list[Person]:
    born_after = today - relativedelta(years=17)
    return list(
        Person.objects.filter(
            owning_agency__code="leeds-childrens-social-care",
            district__code="leeds",
            date_of_birth__gt=born_after,
            merged_into__isnull=True,
        ).order_by("family_name", "given_name", "date_of_birth")
    )


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    years = core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    users = {u.username: u for u in User.objects.select_related("agency__force", "district")}
    manager = users.get("partnership")
    if manager is None:
        raise RuntimeError("Load the core demo first: reviews need the 'partnership' login")
    today = timezone.localdate()
    children = _children(today)
    if len(children) < len(PLAN) * years:
        raise RuntimeError("Load the people demo first: reviews need Leeds children")
    builder = _Builder(manager, users, today)
    total = len(PLAN) * years
    for year in range(years):
        for index, plan in enumerate(PLAN):
            builder.review(children[year * len(PLAN) + index], plan, year)
            progress("practice reviews", year * len(PLAN) + index + 1, total)
    return {"practice reviews": builder.reviews, "recommendations": builder.recommendations}


class _Builder:
    def __init__(self, manager: User, users: dict[str, User], today: date) -> None:
        self.manager = manager
        self.users = users
        self.today = today
        self.now = timezone.now()
        self.force = manager.agency.force
        self.reviews = 0
        self.recommendations = 0

    def clock(self, clock_id: str, on: date):
        return effective_clock(clock_id, self.force, at=on)

    def at(self, day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, 0)))

    def review(self, child: Person, plan: tuple, year: int) -> PracticeReview:
        name, kind, days_ago, reached, months = plan
        shift = 365 * year
        learned_at = self.at(self.today - timedelta(days=days_ago + shift), 11)
        review = PracticeReview(
            person=child,
            owning_agency=self.manager.agency,
            district=self.manager.district,
            reference=name if year == 0 else f"{name} ({learned_at.year})",
            incident_kind=kind,
            incident_on=(learned_at - timedelta(days=2)).date(),
            incident_summary=SUMMARIES[kind],
            learned_at=learned_at,
            created_by=self.manager,
        )
        review.notification_due_at = rules.notification_due(
            self.clock(rules.NOTIFICATION_CLOCK, learned_at.date()), learned_at
        )
        events = [
            ("serious_incident", learned_at, f"Serious incident: practice review {review.reference} opened")
        ]
        if reached != "notification":
            late = name == "Child F"
            notified_at = clocks.due(self.clock(rules.NOTIFICATION_CLOCK, learned_at.date()), learned_at)
            notified_at = notified_at + timedelta(days=2) if late else notified_at - timedelta(days=1)
            review.notified_at = notified_at
            review.panel_reference = f"SIN-{learned_at:%y}-{1000 + self.reviews}"
            review.rapid_review_due_at = rules.rapid_review_due(
                self.clock(rules.RAPID_REVIEW_CLOCK, notified_at.date()), notified_at
            )
            events.append(
                ("serious_incident_notified", notified_at, "Serious incident notified to the national panel")
            )
        if reached not in ("notification", "rapid_review"):
            review.rapid_review_on = (review.rapid_review_due_at - timedelta(days=3)).date()
            review.rapid_review_findings = FINDINGS
            events.append(("rapid_review", self.at(review.rapid_review_on, 10), "Rapid review held"))
        if reached in ("lcspr", "published", "closed"):
            review.decided_on = review.rapid_review_on + timedelta(days=1)
            if reached == "closed":
                review.decision = Decision.NO_LOCAL_REVIEW
                review.decision_rationale = "The rapid review found the learning is already being addressed."
            else:
                review.decision = Decision.LOCAL_REVIEW
                review.decision_rationale = "Criteria for a local review met: the learning is significant."
                review.lcspr_started_on = min(
                    self.today - relativedelta(months=months) - timedelta(days=shift), self.today
                )
                review.lcspr_started_on = max(review.lcspr_started_on, review.decided_on)
                review.publication_due_at = rules.publication_due(
                    self.clock(rules.PUBLICATION_CLOCK, review.lcspr_started_on), review.lcspr_started_on
                )
                review.learning_themes = ["information_sharing", "escalation", "non_accidental_injury"]
            events.append(
                (
                    "practice_review_decision",
                    self.at(review.decided_on, 12),
                    f"Decision on a local review: {review.get_decision_display()}",
                )
            )
        if reached == "published":
            review.published_on = review.lcspr_started_on + relativedelta(months=5)
            review.sent_to_panel_on = review.published_on - timedelta(days=10)
            review.publication_url = "https://example.com/leeds-scp/reviews/child-g"
            events.append(
                ("practice_review_published", self.at(review.published_on, 9), "Local review published")
            )
        review.full_clean()
        review.save()
        audit.record(JOB, AuditAction.CREATE, review, fields=["reference", "incident_kind", "learned_at"])
        for kind_code, moment, summary in events:
            chronology.add(
                child,
                kind_code,
                moment,
                review,
                f"{summary} ({review.reference})",
                agency=review.owning_agency,
            )
        if reached in ("lcspr", "published"):
            self.add_recommendations(review, reached)
        self.reviews += 1
        return review

    def add_recommendations(self, review: PracticeReview, reached: str) -> None:
        where = "local review" if reached == "published" else "rapid review"
        for text, username, days, status in REVIEW_RECOMMENDATIONS:
            owner = self.users[username]
            if reached == "lcspr":
                status = Status.OPEN
            base = review.published_on or review.decided_on
            due_on = base + timedelta(days=days)
            closed = status == Status.COMPLETED
            item = Recommendation(
                force=self.force,
                district=review.district,
                source_kind=SourceKind.PRACTICE_REVIEW,
                source_reference=f"Practice review {review.reference} ({where})",
                source_type="reviews.practicereview",
                source_id=review.pk,
                text=text,
                owning_agency=owner.agency,
                owner=owner,
                due_on=due_on,
                status=status,
                closed_at=self.now - timedelta(days=5) if closed else None,
                created_by=self.manager,
            )
            item.full_clean()
            item.save()
            audit.record(JOB, AuditAction.CREATE, item, fields=["source_kind", "text", "owner", "due_on"])
            if status != Status.OPEN:
                EvidenceNote.objects.create(
                    recommendation=item,
                    at=self.now - timedelta(days=5),
                    author=owner,
                    author_agency=owner.agency,
                    text=DONE_NOTE if closed else PROGRESS_NOTE,
                    status=status,
                )
            self.recommendations += 1
