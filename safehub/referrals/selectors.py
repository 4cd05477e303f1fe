"""Reads of referrals and information requests, always within the user's scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safehub.core.access import parse_id
from safehub.core.rules import Event
from safehub.referrals.models import (
    OPEN_STATUSES,
    InformationRequest,
    Rag,
    Referral,
    ReferralSubject,
    Status,
)

SORTS = {"due": ("due_at", "received_at"), "received": ("-received_at",), "oldest": ("received_at",)}


def is_mash_user(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_person_level_access
        and user.district_wide_roles
        and user.district_id
    )


def queue_for(
    user: Any, *, rag: str = "", status: str = "", category: str = "", sort: str = "due"
) -> QuerySet[Referral]:
    """The district MASH queue: open referrals by due time (untriaged first), filtered."""
    if not is_mash_user(user):
        return Referral.objects.none()
    referrals = Referral.objects.visible_to(user).filter(district_id=user.district_id)
    if status == "all":
        pass
    elif status in Status.values:
        referrals = referrals.filter(status=status)
    else:
        referrals = referrals.filter(status__in=[*OPEN_STATUSES, Status.AWAITING_APPROVAL])
    if rag == "none":
        referrals = referrals.filter(rag="")
    elif rag in Rag.values:
        referrals = referrals.filter(rag=rag)
    if category:
        referrals = referrals.filter(categories__icontains=f'"{category}"')
    order = SORTS.get(sort, SORTS["due"])
    if order[0] == "due_at":
        from django.db.models import F

        return referrals.select_related("district", "referring_agency", "assigned_to").order_by(
            F("due_at").asc(nulls_first=True), "received_at"
        )
    return referrals.select_related("district", "referring_agency", "assigned_to").order_by(*order)


def referrals_made_by(user: Any) -> QuerySet[Referral]:
    """Referrals the user's agency made (that it can still see), newest first."""
    if not getattr(user, "has_person_level_access", False):
        return Referral.objects.none()
    return (
        Referral.objects.visible_to(user)
        .filter(referring_agency_id=user.agency_id)
        .select_related("district", "referring_agency")
        .order_by("-received_at")
    )


def referral_list_for(
    user: Any, *, district: Any = None, rag: str = "", status: str = ""
) -> QuerySet[Referral]:
    referrals = Referral.objects.visible_to(user).select_related(
        "district", "referring_agency", "owning_agency"
    )
    if district is not None:
        referrals = referrals.filter(district=district)
    if rag:
        referrals = referrals.filter(rag=rag)
    if status:
        referrals = referrals.filter(status=status)
    return referrals.order_by("-received_at")


def information_requests_for(user: Any) -> QuerySet[InformationRequest]:
    """Requests the user may see: the MASH of the referral's district and the host agency see all
    on their referrals; a partner agency sees only the requests sent to it."""
    if not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        return InformationRequest.objects.none()
    condition = Q(to_agency_id=user.agency_id) | Q(referral__owning_agency_id=user.agency_id)
    if user.district_wide_roles and user.district_id:
        condition |= Q(referral__district_id=user.district_id)
    return InformationRequest.objects.filter(condition).select_related(
        "referral", "to_agency", "person", "requested_by", "answered_by"
    )


def information_requests_to_agency(user: Any) -> QuerySet[InformationRequest]:
    """A partner's queue: requests sent to the user's agency, waiting ones first, by due time."""
    if not getattr(user, "is_authenticated", False) or not user.has_person_level_access:
        return InformationRequest.objects.none()
    return (
        InformationRequest.objects.filter(to_agency_id=user.agency_id)
        .select_related("referral", "to_agency", "person", "requested_by", "answered_by")
        .order_by("-status", "due_at")
    )


def information_request_to_answer(user: Any, request_id: Any) -> InformationRequest:
    """One request sent to the user's agency; Http404 for any other (existence is not leaked)."""
    found = information_requests_to_agency(user).filter(pk=parse_id(request_id)).first()
    if found is None:
        raise Http404("No such information request")
    return found


def information_request_visible(user: Any, request_id: Any) -> InformationRequest:
    found = information_requests_for(user).filter(pk=parse_id(request_id)).first()
    if found is None:
        raise Http404("No such information request")
    return found


def ppns_awaiting(user: Any) -> list:
    """Police PPNs awaiting the MASH in the user's district (ADR 0006)."""
    if not is_mash_user(user):
        return []
    from safehub.contacts.models import PpnStatus, PublicProtectionNotice

    return list(
        PublicProtectionNotice.objects.visible_to(user)
        .filter(status=PpnStatus.AWAITING_MASH, district_id=user.district_id)
        .select_related("person", "owning_agency")
        .order_by("raised_at")[:100]
    )


def history_events(
    person_ids: set[Any] | None, since: datetime | None, until: datetime
) -> Iterator[tuple[Any, Event]]:
    """History provider (core.histories): a `mash_referral` event (attr rag, blank until triaged)
    for each referral a person is the subject of, at its receipt."""
    rows = ReferralSubject.objects.filter(referral__received_at__lte=until)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    if since is not None:
        rows = rows.filter(referral__received_at__gte=since)
    values = rows.values_list("person_id", "referral_id", "referral__received_at", "referral__rag")
    for person_id, referral_id, at, rag in values.iterator(chunk_size=2000):
        yield person_id, Event("mash_referral", at, {"rag": rag}, str(referral_id))
