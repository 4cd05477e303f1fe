"""Practice review pages. Reviews are loaded only through `selectors` (core.access: 404 out of scope,
audited reads; 403 on a write for anyone but a partnership manager of the owning agency); the child
only through `core.access` or the scoped person search (by POST, so no name reaches a URL)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.models import AuditAction
from safehub.core.presenters import apply_form_errors
from safehub.people import presenters as people_presenters
from safehub.people import selectors as people_selectors
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person
from safehub.recommendations import presenters as recommendation_presenters
from safehub.recommendations import selectors as recommendation_selectors
from safehub.recommendations.forms import RecommendationForm
from safehub.recommendations.models import SourceKind
from safehub.reviews import forms, presenters, rules, selectors, services


def _require_runner(user) -> None:
    if not services.may_run_reviews(user):
        raise PermissionDenied("Only a safeguarding partnership manager runs practice reviews")


def _form_page(
    request, form, title: str, back: str, *, caption: str = "", submit: str = "Save", intro: str = ""
):
    context = {
        "form": form,
        "title": title,
        "back": back,
        "caption": caption,
        "submit": submit,
        "intro": intro,
    }
    return render(request, "reviews/form.html", context)


@login_required
def home(request):
    reviews = list(selectors.reviews_visible_to(request.user)[:200])
    audit.record_listed(request.user, reviews)
    context = {
        "rows": [presenters.review_row(r) for r in reviews],
        "runner": services.may_run_reviews(request.user),
    }
    return render(request, "reviews/home.html", context)


@login_required
def due(request):
    found = selectors.due_and_overdue(request.user)
    audit.record_listed(request.user, [review for review, _ in found])
    rows = [presenters.review_row(review) for review, _ in found]
    late_recommendations = (
        recommendation_selectors.recommendations_visible_to(request.user)
        .overdue()
        .filter(source_kind=SourceKind.PRACTICE_REVIEW)
        .count()
    )
    context = {
        "rows": rows,
        "overdue": sum(1 for row in rows if row["deadline"]["overdue"]),
        "late_recommendations": late_recommendations,
    }
    return render(request, "reviews/due.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_search(request):
    _require_runner(request.user)
    search = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and search.is_valid():
        people = list(people_selectors.person_search(request.user, search.cleaned_data["query"])[:50])
        audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["query"])
        audit.record_listed(request.user, people)
        results = [people_presenters.person_row(p) for p in people]
    return render(request, "reviews/search.html", {"search": search, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def create(request, person_id):
    _require_runner(request.user)
    person = load_for(request.user, Person, person_id)  # scoped, audited read
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form, lambda: services.review_create(actor=request.user, person=person, **form.service_data())
        )
        if done is not None:
            messages.success(
                request, "Serious incident recorded: notify the national panel within 5 working days"
            )
            return redirect("reviews:detail", done.pk)
    return _form_page(
        request,
        form,
        "Record a serious incident",
        reverse("reviews:search"),
        caption=person.full_name,
        submit="Save the serious incident",
        intro="Record it when abuse or neglect is known or suspected and the child has died or been "
        "seriously harmed.",
    )


@login_required
def detail(request, review_id):
    review = selectors.review_for(request.user, review_id)
    recommendations = recommendation_selectors.for_source(review)
    current = rules.stage(services.facts_of(review))
    context = {
        "review": review,
        "row": presenters.review_row(review),
        "steps": presenters.steps(review),
        "themes": presenters.themes(review),
        "stage": current,
        "runner": selectors.may_change(request.user, review),
        "recommendations": [recommendation_presenters.row(r) for r in recommendations],
        "learned": presenters.moment(review.learned_at),
        "notified": presenters.moment(review.notified_at),
        "rapid_review_on": presenters.day(review.rapid_review_on),
        "decided_on": presenters.day(review.decided_on),
        "started_on": presenters.day(review.lcspr_started_on),
        "sent_on": presenters.day(review.sent_to_panel_on),
        "published_on": presenters.day(review.published_on),
        "incident_on": presenters.day(review.incident_on),
    }
    return render(request, "reviews/detail.html", context)


STEPS = {
    "notification": (
        forms.NotificationForm,
        services.review_notify,
        "Record the notification to the national panel",
        "Save the notification",
        "Notification recorded: the rapid review is due within 15 working days",
    ),
    "rapid_review": (
        forms.RapidReviewForm,
        services.review_rapid_review,
        "Record the rapid review",
        "Save the rapid review",
        "Rapid review recorded",
    ),
    "decision": (
        forms.DecisionForm,
        services.review_decide,
        "Decide on a local review",
        "Save the decision",
        "Decision recorded",
    ),
    "themes": (
        forms.ThemesForm,
        services.review_set_themes,
        "Learning themes",
        "Save the learning themes",
        "Learning themes saved",
    ),
    "publication": (
        forms.PublicationForm,
        services.review_publish,
        "Record the publication",
        "Save the publication",
        "Publication recorded",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def step(request, review_id, step_name):
    review = selectors.review_for(request.user, review_id, write=True)
    form_class, service, title, submit, done_message = STEPS[step_name]
    initial = {"themes": review.learning_themes} if step_name == "themes" else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form, lambda: service(actor=request.user, review=review, **form.service_data())
        )
        if done is not None:
            messages.success(request, done_message)
            return redirect("reviews:detail", review.pk)
    back = reverse("reviews:detail", args=[review.pk])
    return _form_page(
        request, form, title, back, caption=f"Practice review {review.reference}", submit=submit
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request, review_id):
    review = selectors.review_for(request.user, review_id, write=True)
    form = RecommendationForm(
        request.POST or None,
        force=review.district.force,
        with_source=False,
        initial={"district": review.district_id},
    )
    if request.method == "POST" and form.is_valid():
        done = apply_form_errors(
            form,
            lambda: services.review_recommendation_add(
                actor=request.user, review=review, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, "Recommendation added to the tracker: its owner sees it in their list")
            return redirect("reviews:detail", review.pk)
    back = reverse("reviews:detail", args=[review.pk])
    return _form_page(
        request,
        form,
        "Add a recommendation or action",
        back,
        caption=f"Practice review {review.reference}",
        submit="Add the recommendation",
        intro="It goes on the partnership's recommendations tracker, owned by the person you choose.",
    )
