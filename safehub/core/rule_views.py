"""The listing rules workbench: the rules in force, and a new version proposed, tested, then saved.

Listing rules are not personal data: any signed-in user may read them (/rules/ and a ruleset's
page). Analysts and administrators propose a new version: step 1 sets its numbers (or its whole
JSON), step 2 tests it against built-in and pasted example histories (made-up events, never a real
person's) beside the version in force, and only then "Save as version N" stores it through
`rulesets.ruleset_version_create` (audited). The proposal waits in the session between steps and
is checked again with `rules.ruleset_from_dict` at every step.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.core.models import Force, RulesetVersion
from safehub.core.rule_examples import example_trials, trial
from safehub.core.rule_forms import HistoryForm, RuleNumbersForm, RulesetJsonForm, sentence
from safehub.core.rules import (
    DEFAULT_RULESETS,
    Ruleset,
    RulesetError,
    describe,
    ruleset_from_dict,
    ruleset_to_dict,
)
from safehub.core.rulesets import (
    UnknownRuleset,
    known_ruleset_ids,
    may_change_rules,
    next_version,
    ruleset_for,
    ruleset_version_create,
)

PROPOSAL_KEY = "rules:proposal:{}"


def _force(user) -> Force | None:
    """The user's partnership: their district's force, else their agency's, else the only one."""
    if user.district_id:
        return user.district.force
    if user.agency_id:
        return user.agency.force
    only = list(Force.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def _in_force(ruleset_id: str, force: Force | None) -> Ruleset:
    try:
        return ruleset_for(ruleset_id, force)
    except UnknownRuleset:
        raise Http404("No such ruleset") from None


def _editor_force(user) -> Force:
    if not may_change_rules(user):
        raise PermissionDenied("Only analysts and administrators can propose new listing rules")
    force = _force(user)
    if force is None:
        raise PermissionDenied("Your account is not linked to a partnership: ask an administrator to set it")
    return force


def _rule_rows(ruleset: Ruleset) -> list[dict[str, Any]]:
    return [{"rule": rule, "plain": sentence(describe(rule))} for rule in ruleset.rules]


@login_required
def ruleset_list(request):
    force = _force(request.user)
    rulesets = [_in_force(ruleset_id, force) for ruleset_id in known_ruleset_ids(force)]
    stored = RulesetVersion.objects.filter(force=force).order_by("ruleset_id", "-version") if force else []
    versions: dict[str, list[RulesetVersion]] = {}
    for row in stored:
        versions.setdefault(row.ruleset_id, []).append(row)
    items = [{"ruleset": r, "rules": _rule_rows(r), "versions": versions.get(r.id, [])} for r in rulesets]
    return render(
        request,
        "core/rules/list.html",
        {"items": items, "force": force, "may_change": may_change_rules(request.user) and force is not None},
    )


@login_required
def ruleset_detail(request, ruleset_id: str):
    force = _force(request.user)
    ruleset = _in_force(ruleset_id, force)
    versions = (
        RulesetVersion.objects.filter(force=force, ruleset_id=ruleset_id).select_related("created_by")
        if force
        else RulesetVersion.objects.none()
    )
    context = {
        "ruleset": ruleset,
        "rules": _rule_rows(ruleset),
        "versions": versions.order_by("-version"),
        "default": DEFAULT_RULESETS.get(ruleset_id),
        "today": timezone.localdate(),
        "force": force,
        "may_change": may_change_rules(request.user) and force is not None,
    }
    return render(request, "core/rules/detail.html", context)


# --- Step 1: propose ---------------------------------------------------------------------------


def _proposal(request, ruleset_id: str, force: Force) -> dict[str, Any] | None:
    proposal = request.session.get(PROPOSAL_KEY.format(ruleset_id))
    if not isinstance(proposal, dict) or proposal.get("force") != str(force.pk):
        return None
    return proposal


def _keep_proposal(request, ruleset_id: str, force: Force, form, source: str) -> None:
    definition = form.definition if source == "numbers" else form.cleaned_data["definition"]
    request.session[PROPOSAL_KEY.format(ruleset_id)] = {
        "force": str(force.pk),
        "source": source,
        "definition": definition,
        "effective_from": form.cleaned_data["effective_from"].isoformat(),
        "notes": form.cleaned_data["notes"],
        "version": next_version(force, ruleset_id),
    }


def _proposal_initial(proposal: dict[str, Any] | None) -> dict[str, Any]:
    if proposal is None:
        return {"effective_from": f"{timezone.localdate():%d/%m/%Y}"}
    day = date.fromisoformat(proposal["effective_from"])
    return {"effective_from": f"{day:%d/%m/%Y}", "notes": proposal["notes"]}


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_new(request, ruleset_id: str):
    """Step 1: a form per rule of the version in force, with its numbers as inputs."""
    force = _editor_force(request.user)
    current = _in_force(ruleset_id, force)
    proposal = _proposal(request, ruleset_id, force)
    initial = _proposal_initial(proposal)
    if proposal and proposal["source"] == "numbers":
        initial.update(RuleNumbersForm.initial_from(current, proposal["definition"]))
    form = RuleNumbersForm(request.POST or None, ruleset=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        _keep_proposal(request, ruleset_id, force, form, "numbers")
        return redirect("core:ruleset_test", ruleset_id=ruleset_id)
    return render(request, "core/rules/new.html", {"form": form, "ruleset": current, "json": False})


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_new_json(request, ruleset_id: str):
    """Step 1, for advanced users: the whole definition as JSON."""
    force = _editor_force(request.user)
    current = _in_force(ruleset_id, force)
    proposal = _proposal(request, ruleset_id, force)
    initial = _proposal_initial(proposal)
    definition = proposal["definition"] if proposal else ruleset_to_dict(current)
    initial["definition"] = json.dumps(definition, indent=2, ensure_ascii=False)
    form = RulesetJsonForm(request.POST or None, ruleset_id=ruleset_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        _keep_proposal(request, ruleset_id, force, form, "json")
        return redirect("core:ruleset_test", ruleset_id=ruleset_id)
    return render(request, "core/rules/new.html", {"form": form, "ruleset": current, "json": True})


# --- Step 2: test, then save -------------------------------------------------------------------


class _NoProposal(Exception):
    pass


def _checked_proposal(request, ruleset_id: str, force: Force) -> tuple[dict[str, Any], Ruleset]:
    """The session's proposal, checked again; _NoProposal (with a message shown) when there is none."""
    proposal = _proposal(request, ruleset_id, force)
    if proposal is None:
        messages.info(request, "Start by setting the new version's numbers")
        raise _NoProposal
    try:
        proposed = ruleset_from_dict(proposal["definition"])
        if proposed.id != ruleset_id:
            raise RulesetError([f"id: {proposed.id!r} is not {ruleset_id!r}"])
    except (RulesetError, KeyError, TypeError) as exc:
        request.session.pop(PROPOSAL_KEY.format(ruleset_id), None)
        messages.info(request, f"The proposed version could not be used ({exc}): start again")
        raise _NoProposal from None
    return proposal, replace(proposed, version=proposal["version"])


def _changes(current: Ruleset, proposed: Ruleset) -> list[dict[str, str]]:
    before = {rule.id: rule for rule in current.rules}
    after = {rule.id: rule for rule in proposed.rules}
    rows = []
    for rule_id in dict.fromkeys([*before, *after]):
        old, new = before.get(rule_id), after.get(rule_id)
        if old != new:
            rows.append(
                {
                    "title": (new or old).title,
                    "current": sentence(describe(old)) if old else "No such rule",
                    "proposed": sentence(describe(new)) if new else "Removed",
                }
            )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_test(request, ruleset_id: str):
    """Step 2: the proposal beside the version in force, on built-in examples and a pasted history."""
    force = _editor_force(request.user)
    current = _in_force(ruleset_id, force)
    try:
        proposal, proposed = _checked_proposal(request, ruleset_id, force)
    except _NoProposal:
        return redirect("core:ruleset_new", ruleset_id=ruleset_id)
    form = HistoryForm(request.POST or None)
    own = None
    if request.method == "POST" and form.is_valid():
        as_of, events = form.parsed
        own = trial(current, proposed, as_of, events, title="Your example history")
    context = {
        "ruleset": current,
        "proposed": proposed,
        "proposal": proposal,
        "effective_from": date.fromisoformat(proposal["effective_from"]),
        "changes": _changes(current, proposed),
        "trials": example_trials(current, proposed, DEFAULT_RULESETS.get(ruleset_id)),
        "own": own,
        "form": form,
        "change_url": reverse(
            "core:ruleset_new_json" if proposal["source"] == "json" else "core:ruleset_new", args=[ruleset_id]
        ),
    }
    return render(request, "core/rules/test.html", context)


@login_required
@require_POST
def ruleset_save(request, ruleset_id: str):
    """Save the tested proposal as the partnership's next version (what the form posts is not used)."""
    force = _editor_force(request.user)
    try:
        proposal, proposed = _checked_proposal(request, ruleset_id, force)
    except _NoProposal:
        return redirect("core:ruleset_new", ruleset_id=ruleset_id)
    if date.fromisoformat(proposal["effective_from"]) < timezone.localdate():
        messages.info(request, "The date the new version applies from has passed: choose today or later")
        step = "core:ruleset_new_json" if proposal["source"] == "json" else "core:ruleset_new"
        return redirect(step, ruleset_id=ruleset_id)
    if next_version(force, ruleset_id) != proposal["version"]:
        request.session.pop(PROPOSAL_KEY.format(ruleset_id), None)
        messages.info(request, "Someone saved another version since you started: propose your change again")
        return redirect("core:ruleset_detail", ruleset_id=ruleset_id)
    try:
        row = ruleset_version_create(
            actor=request.user,
            force=force,
            definition=proposal["definition"],
            effective_from=date.fromisoformat(proposal["effective_from"]),
            notes=proposal["notes"],
        )
    except ValidationError as exc:
        request.session.pop(PROPOSAL_KEY.format(ruleset_id), None)
        messages.info(request, "The version could not be saved: " + "; ".join(exc.messages))
        return redirect("core:ruleset_new", ruleset_id=ruleset_id)
    request.session.pop(PROPOSAL_KEY.format(ruleset_id), None)
    applies = f"{row.effective_from.day} {row.effective_from:%B %Y}"
    messages.success(request, f"Version {row.version} of {proposed.title} saved: it applies from {applies}")
    return redirect("core:ruleset_detail", ruleset_id=ruleset_id)
