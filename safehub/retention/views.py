"""The MoPI review queue and one review. Reviews load only through `safehub.core.access`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.models import AuditAction
from safehub.people import holdings
from safehub.retention import forms, presenters, rules, selectors, services
from safehub.retention.models import RetentionReview, ReviewStatus


def _require_reviewer(user) -> None:
    if not services.may_review(user):
        raise PermissionDenied("Only records managers work the MoPI review queue")


@login_required
def queue(request):
    _require_reviewer(request.user)
    group = request.GET.get("group", "")
    groups = services.groups_for(request.user.agency.force if request.user.agency_id else None)
    if group not in groups:
        group = ""
    page = Paginator(selectors.queue_for(request.user, group=group), 50).get_page(request.GET.get("page"))
    audit.record_listed(request.user, [review.person for review in page.object_list])
    return render(
        request,
        "retention/queue.html",
        {
            "rows": [presenters.review_row(review) for review in page.object_list],
            "page": page,
            "groups": groups.values(),
            "group": group,
            "upcoming": selectors.upcoming_count(request.user),
            "decided": [presenters.review_row(review) for review in selectors.decided_for(request.user)],
            "query_prefix": f"group={group}&" if group else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, review_id):
    _require_reviewer(request.user)
    writing = request.method == "POST"
    item = load_for(request.user, RetentionReview, review_id, write=writing)
    groups = services.groups_for(item.person.district.force)
    form = forms.DecisionForm(
        request.POST or None, groups=groups.values(), initial={"group": item.group.code}
    )
    if writing and item.status == ReviewStatus.PENDING and form.is_valid():
        try:
            services.review_decide(
                actor=request.user,
                review=item,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                next_review_on=form.cleaned_data["next_review_on"],
                group_code=form.cleaned_data["group"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            verb = "disposed of" if form.cleaned_data["decision"] == "dispose" else "retained"
            messages.success(request, f"The records were {verb}; the decision is recorded.")
            return redirect("retention:queue")
    if writing:  # the page shows the record again: that is a read
        audit.record(request.user, AuditAction.READ, item)
    group_rule = item.group.as_rule()
    return render(
        request,
        "retention/review.html",
        {
            "review": presenters.review_row(item),
            "item": item,
            "form": form,
            "holdings": holdings.counts_for(item.person),
            "blocked": rules.disposal_problem(group_rule, item.person.date_of_birth, timezone.localdate()),
        },
        status=400 if writing and form.errors else 200,
    )
