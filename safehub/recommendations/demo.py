"""Synthetic recommendations for the demo world: an HMICFRS inspection of the force, a joint
targeted area inspection of the Leeds partnership, the domestic abuse scrutiny panel, a select
committee and internal audits, owned by the demo logins' agencies. Some are complete with
evidence, one was not accepted, several are overdue. (Practice reviews add their own
recommendations in the reviews demo.) The texts are generic and invented, not quotations.

Idempotent: the `job:demo` create events are the sentinel; a second call adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.core import audit
from safehub.core import demo as core_demo
from safehub.core.models import AuditAction, District, User
from safehub.recommendations.models import EvidenceNote, Finding, Recommendation, SourceKind, Status

Progress = Callable[[str, int, int], None]
JOB = core_demo.DEMO_JOB
SIZES = {"small": 1, "full": 4}
SEED = 2031

# (source kind, reference, text, owner username, days from today to the due date, status)
ITEMS = [
    (
        SourceKind.HMICFRS,
        "PEEL inspection (synthetic) AFI 1",
        "Improve how quickly officers record and share domestic abuse risk information with partners.",
        "officer",
        -40,
        Status.IN_PROGRESS,
    ),
    (
        SourceKind.HMICFRS,
        "PEEL inspection (synthetic) AFI 2",
        "Make sure supervisors review every missing child report graded medium risk within the shift.",
        "missing",
        -12,
        Status.OPEN,
    ),
    (
        SourceKind.HMICFRS,
        "PEEL inspection (synthetic) recommendation 3",
        "Give call handlers refresher training on THRIVE and recording the voice of the child.",
        "callhandler",
        60,
        Status.OPEN,
    ),
    (
        SourceKind.HMICFRS,
        "Joint targeted area inspection (synthetic), Leeds, rec. 1",
        "Strengthen the MASH's recording of the rationale for threshold decisions.",
        "mashmanager",
        -5,
        Status.OPEN,
    ),
    (
        SourceKind.HMICFRS,
        "Joint targeted area inspection (synthetic), Leeds, rec. 2",
        "Health partners to attend every strategy discussion where a child under one is involved.",
        "health",
        30,
        Status.IN_PROGRESS,
    ),
    (
        SourceKind.DA_SCRUTINY,
        "DA scrutiny panel (synthetic), quarter 2, action 4",
        "Review a sample of DVPN refusals and feed the learning back to the authorising inspectors.",
        "officer",
        20,
        Status.OPEN,
    ),
    (
        SourceKind.SELECT_COMMITTEE,
        "Select committee report (synthetic), rec. 7",
        "Publish the partnership's response on child exploitation screening timescales.",
        "partnership",
        -20,
        Status.COMPLETED,
    ),
    (
        SourceKind.INTERNAL_AUDIT,
        "Internal audit (synthetic) of information requests",
        "Answer MASH information requests within the agreed RAG timescales and record the date sent.",
        "socialcare",
        -3,
        Status.OPEN,
    ),
    (
        SourceKind.INTERNAL_AUDIT,
        "Internal audit (synthetic) of school safeguarding returns",
        "Schools to confirm Operation Encompass contacts each term.",
        "school",
        45,
        Status.OPEN,
    ),
    (
        SourceKind.OTHER,
        "Partnership development day (synthetic), action 2",
        "Set up a quarterly multi-agency audit of neglect cases.",
        "socialcare",
        -60,
        Status.NOT_ACCEPTED,
    ),
]

NOTES = {
    Status.IN_PROGRESS: "Training plan agreed; first sessions delivered to two of five teams.",
    Status.COMPLETED: (
        "Response published on the partnership website; minutes of the executive show sign-off."
    ),
    Status.NOT_ACCEPTED: "Not accepted: the neglect audit is already part of the annual audit programme.",
}


def _finding(kind: str, reference: str) -> str:
    if "AFI" in reference:
        return Finding.AREA_FOR_IMPROVEMENT
    if kind == SourceKind.INTERNAL_AUDIT or kind == SourceKind.OTHER:
        return Finding.ACTION
    return Finding.RECOMMENDATION


def already_loaded() -> int:
    """This loader's items (every reference is marked synthetic; other apps' demos add their own)."""
    return Recommendation.objects.filter(source_type="", source_reference__contains="(synthetic)").count()


@transaction.atomic
def load(*, size: str, progress: Progress) -> dict[str, Any]:
    rounds = core_demo.check_size(size, SIZES)
    existing = already_loaded()
    if existing:
        return {"already_loaded": existing}
    users = {u.username: u for u in User.objects.select_related("agency__force").filter(agency__isnull=False)}
    manager = users.get("partnership")
    if manager is None:
        raise RuntimeError("Load the core demo first: recommendations need the 'partnership' login")
    rng = random.Random(SEED)
    today = timezone.localdate()
    leeds = District.objects.filter(code="leeds").first()
    made = notes = 0
    total = rounds * len(ITEMS)
    for round_number in range(rounds):
        for kind, reference, text, username, offset, status in ITEMS:
            owner = users[username]
            shift = 0 if round_number == 0 else rng.randint(-120, 120)
            due_on = today + timedelta(days=offset + shift)
            reference_text = reference if round_number == 0 else f"{reference} (year {2026 - round_number})"
            closed = status in (Status.COMPLETED, Status.NOT_ACCEPTED)
            created = timezone.now() - timedelta(days=120 + 30 * round_number)
            item = Recommendation(
                force=manager.agency.force,
                district=leeds if "Leeds" in reference or owner.agency.districts.count() == 1 else None,
                source_kind=kind,
                source_reference=reference_text,
                finding=_finding(kind, reference),
                text=text,
                owning_agency=owner.agency,
                owner=owner,
                due_on=due_on,
                status=status,
                closed_at=timezone.now() - timedelta(days=10) if closed else None,
                created_by=manager,
            )
            item.full_clean()
            item.save()
            Recommendation.objects.filter(pk=item.pk).update(created_at=created)
            audit.record(JOB, AuditAction.CREATE, item, fields=["source_kind", "text", "owner", "due_on"])
            made += 1
            if status in NOTES:
                EvidenceNote.objects.create(
                    recommendation=item,
                    at=timezone.now() - timedelta(days=10),
                    author=owner if status != Status.NOT_ACCEPTED else manager,
                    author_agency=owner.agency if status != Status.NOT_ACCEPTED else manager.agency,
                    text=NOTES[status],
                    status=status,
                )
                notes += 1
            progress("recommendations", made, total)
    return {"recommendations": made, "evidence notes": notes}
