"""Scoped reads of person matching. Index names are in the models' Meta comments."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from safehub.linkage import engine, matching, rules
from safehub.linkage.models import ExtractRecord, MatchReview, Merge, PartnerExtract, ReviewStatus
from safehub.people.models import Person


def extract_list(user: Any) -> QuerySet[PartnerExtract]:
    """Extracts the user may see, newest first (index extract_scope)."""
    if not rules.can_link(user):
        return PartnerExtract.objects.none()
    return (
        PartnerExtract.objects.visible_to(user)
        .select_related("district", "created_by")
        .annotate(
            pending_reviews=Count("records__reviews", filter=Q(records__reviews__status=ReviewStatus.PENDING))
        )
    )


def extract_records(extract: PartnerExtract) -> QuerySet[ExtractRecord]:
    return extract.records.select_related("person").order_by("row_number")


def review_queue(user: Any) -> QuerySet[MatchReview]:
    """Pending pairs the user may decide and whose index person they may see (index review_queue)."""
    if not rules.can_link(user):
        return MatchReview.objects.none()
    visible_people = Person.objects.visible_to(user).values("pk")
    return (
        MatchReview.objects.visible_to(user)
        .filter(status=ReviewStatus.PENDING, person__in=visible_people)
        .select_related("record", "record__extract", "person")
        .order_by("-probability", "created_at")
    )


def merge_list(user: Any) -> QuerySet[Merge]:
    if not rules.can_link(user):
        return Merge.objects.none()
    return Merge.objects.visible_to(user).select_related("survivor", "duplicate", "merged_by", "undone_by")


def duplicate_pairs(user: Any, *, limit: int = 50) -> list[dict[str, Any]]:
    """Likely duplicates inside the index that the user may change both sides of."""
    if not rules.can_link(user):
        return []
    current = matching.matcher()
    if current.size < 2:
        return []
    found = current.duplicates()
    ids = set(found["unique_id_l"].astype(str)) | set(found["unique_id_r"].astype(str))
    people = {
        str(p.pk): p for p in Person.objects.editable_by(user).filter(pk__in=ids, merged_into__isnull=True)
    }
    rows = []
    for row in found.to_dict("records"):
        left, right = people.get(str(row["unique_id_l"])), people.get(str(row["unique_id_r"]))
        if left and right:
            rows.append(
                {
                    "left": left,
                    "right": right,
                    "probability": float(row["match_probability"]),
                    "explanation": engine.explain_row(row, current.model),
                }
            )
        if len(rows) >= limit:
            break
    return rows


def model_parameters(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Each comparison level's m, u and match weight (log2 m/u), for the admin's table and chart."""
    import math

    rows = []
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name", "")
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            rows.append(
                {
                    "field": engine.FIELD_LABELS.get(name, name),
                    "level": level.get("label_for_charts", ""),
                    "m": m,
                    "u": u,
                    "weight": weight,
                    "tf": bool(level.get("tf_adjustment_column")),
                }
            )
    return rows
