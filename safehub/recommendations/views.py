"""The recommendations tracker pages. Items are loaded only through `selectors` (scoped: owners see
their agency's, a partnership manager the partnership's; 404 out of scope, 403 for other roles)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehub.core.presenters import apply_form_errors
from safehub.recommendations import presenters, selectors, services
from safehub.recommendations.forms import FilterForm, ReassignForm, RecommendationForm, UpdateForm
from safehub.recommendations.models import SourceKind, is_partnership_manager


def _manages(user, item=None) -> bool:
    if not is_partnership_manager(user):
        return False
    return item is None or user.agency.force_id == item.force_id


def _caption(count: int, view: str) -> str:
    kind = {"all": ""}.get(view, selectors.VIEWS[view].lower() + " ")
    return f"{count} {kind}recommendation{'' if count == 1 else 's'}"


@login_required
def home(request):
    rows = selectors.recommendations_visible_to(request.user)
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    view = chosen.get("view") or "open"
    items = selectors.filtered(
        rows,
        view=view,
        source_kind=chosen.get("source_kind", ""),
        agency_id=chosen.get("agency"),
        owner=request.user if chosen.get("mine") else None,
    )
    context = {
        "summary": selectors.summary(request.user),
        "rows": [presenters.row(item) for item in items[:200]],
        "table_caption": _caption(items.count(), view),
        "view": view,
        "views": selectors.VIEWS,
        "source_kind": chosen.get("source_kind", ""),
        "source_label": dict(SourceKind.choices).get(chosen.get("source_kind", ""), ""),
        "agency": str(chosen.get("agency") or ""),
        "mine": bool(chosen.get("mine")),
        "manager": _manages(request.user),
    }
    return render(request, "recommendations/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not _manages(request.user):
        raise PermissionDenied("Only the safeguarding partnership manager records recommendations here")
    form = RecommendationForm(request.POST or None, force=request.user.agency.force)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form, lambda: services.recommendation_create(actor=request.user, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, "Recommendation recorded")
            return redirect("recommendations:detail", done.pk)
    context = {
        "form": form,
        "title": "Record a recommendation",
        "back": reverse("recommendations:home"),
        "submit": "Save the recommendation",
    }
    return render(request, "recommendations/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, recommendation_id):
    item = selectors.recommendation_for(request.user, recommendation_id, write=request.method == "POST")
    manager = _manages(request.user, item)
    form = UpdateForm(request.POST or None, manager=manager, initial={"status": item.status})
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.recommendation_update(
                actor=request.user, recommendation=item, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, "Update saved")
            return redirect("recommendations:detail", item.pk)
    context = {
        "row": presenters.row(item, user=request.user),
        "notes": [presenters.note_row(n) for n in item.notes.select_related("author", "author_agency")],
        "form": form,
        "manager": manager,
    }
    return render(request, "recommendations/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request, recommendation_id):
    item = selectors.recommendation_for(request.user, recommendation_id, write=True)
    if not _manages(request.user, item):
        raise PermissionDenied("Only the safeguarding partnership manager changes the owner or due date")
    initial = {"owning_agency": item.owning_agency_id, "owner": item.owner_id, "due_on": item.due_on}
    form = ReassignForm(request.POST or None, force=item.force, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.recommendation_reassign(
                actor=request.user, recommendation=item, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, "Owner and due date saved")
            return redirect("recommendations:detail", item.pk)
    back = reverse("recommendations:detail", args=[item.pk])
    context = {"form": form, "title": "Change the owner or due date", "back": back, "submit": "Save"}
    return render(request, "recommendations/form.html", context)
