"""The listing rules workbench (/rules/): read, propose, test on example histories, save; who may."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from safehub.core.models import AuditAction, AuditEvent, Force, RulesetVersion
from safehub.core.navigation import nav_items_for
from safehub.core.roles import Role
from safehub.core.rule_examples import EXAMPLES, HistoryError, history_from_dict, history_from_text
from safehub.core.rule_views import PROPOSAL_KEY
from safehub.core.rules import DEFAULT_RULESETS, evaluate, ruleset_to_dict
from safehub.core.rulesets import ruleset_for, ruleset_version_create
from safehub.core.tests.factories import UserFactory

NEW = "/rules/marac/new/"
TEST = "/rules/marac/new/test/"
SAVE = "/rules/marac/new/save/"
MARAC = DEFAULT_RULESETS["marac"]
ESCALATION = [r.id for r in MARAC.rules].index("potential_escalation")
VISIBLE = [r.id for r in MARAC.rules].index("visible_high_risk")


@pytest.fixture
def force(analyst):
    return analyst.district.force


@pytest.fixture
def admin_user(agencies, districts):
    return UserFactory(username="rules-admin", agency=agencies["police"], roles=[Role.ADMIN])


def numbers(ruleset=MARAC, **changes):
    """The numbers form posted as it was first shown, with `changes` (field name: value) applied."""
    data = {"effective_from": timezone.localdate().isoformat(), "notes": "Agreed by the MARAC steering group"}
    for index, rule in enumerate(ruleset.rules):
        if rule.kind != "threshold":
            data[f"rule_{index}_min_count"] = str(rule.min_count)
        data[f"rule_{index}_window_days"] = "" if rule.window_days is None else str(rule.window_days)
        data[f"rule_{index}_description"] = rule.description
        for position, value in enumerate(rule.where.values()):
            text = ", ".join(value) if isinstance(value, list) else str(value)
            data[f"rule_{index}_where_{position}"] = text
    data.update(changes)
    return data


def six_months(**more):
    return numbers(
        **{
            f"rule_{ESCALATION}_window_days": "182",
            f"rule_{ESCALATION}_description": "3 or more domestic abuse incidents in 6 months.",
            **more,
        }
    )


# --- Reading the rules -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "admin_user", "owner", "auditor"])
def test_any_signed_in_user_reads_the_rules_in_plain_english(client, request, who):
    client.force_login(request.getfixturevalue(who))
    listing = client.get("/rules/")
    assert listing.status_code == 200
    for ruleset in DEFAULT_RULESETS.values():
        assert ruleset.title in listing.content.decode()
    assert "At least 3 domestic abuse incidents as a victim in 365 days" in listing.content.decode()
    detail = client.get("/rules/marac/")
    assert detail.status_code == 200
    assert "Professional judgement (referral)" in detail.content.decode()
    assert ("Propose a new version" in detail.content.decode()) is (who in ("analyst", "admin_user"))


def test_signed_out_user_is_sent_to_sign_in(client):
    assert client.get("/rules/").status_code == 302
    assert client.get("/rules/marac/").status_code == 302


def test_unknown_ruleset_is_404(client, analyst):
    client.force_login(analyst)
    assert client.get("/rules/nope/").status_code == 404
    assert client.get("/rules/nope/new/").status_code == 404


def test_detail_shows_the_version_history(client, analyst, force):
    definition = ruleset_to_dict(MARAC)
    ruleset_version_create(
        actor=analyst,
        force=force,
        definition=definition,
        notes="Board, 4 March",
        effective_from=date(2026, 3, 4),
    )
    ruleset_version_create(
        actor=analyst,
        force=force,
        definition=definition,
        notes="Board, next year",
        effective_from=timezone.localdate() + timedelta(days=30),
    )
    client.force_login(analyst)
    page = client.get("/rules/marac/").content.decode()
    assert "Version 2 is in force" in page
    assert "Board, 4 March" in page and "Board, next year" in page
    assert "Scheduled" in page and "In force" in page
    assert str(analyst) in page


def test_listing_rules_is_in_the_navigation_of_analysts_and_admins_only(analyst, admin_user, owner, auditor):
    def labels(user):
        return [item["label"] for item in nav_items_for(user, "/")]

    assert "Listing rules" in labels(analyst) and "Listing rules" in labels(admin_user)
    assert "Listing rules" not in labels(owner) and "Listing rules" not in labels(auditor)


# --- Who may propose ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "officer", "mash", "auditor", "commissioner"])
@pytest.mark.parametrize("path", [NEW, "/rules/marac/new/json/", TEST])
def test_other_roles_may_not_propose(client, request, who, path):
    client.force_login(request.getfixturevalue(who))
    assert client.get(path).status_code == 403
    assert client.post(path, six_months()).status_code == 403


def test_other_roles_may_not_save(client, owner, analyst):
    client.force_login(owner)
    assert client.post(SAVE).status_code == 403
    assert not RulesetVersion.objects.exists()


def test_the_service_lets_analysts_and_admins_change_the_rules(analyst, admin_user, owner, force):
    definition = ruleset_to_dict(MARAC)
    assert ruleset_version_create(actor=analyst, force=force, definition=definition).version == 2
    assert ruleset_version_create(actor=admin_user, force=force, definition=definition).version == 3
    with pytest.raises(PermissionDenied, match="analyst or an administrator"):
        ruleset_version_create(actor=owner, force=force, definition=ruleset_to_dict(MARAC))


# --- Step 1: propose ---------------------------------------------------------------------------


def test_the_form_starts_from_the_version_in_force(client, analyst, force):
    data = ruleset_to_dict(MARAC)
    data["rules"][ESCALATION]["window_days"] = 200
    ruleset_version_create(actor=analyst, force=force, definition=data, effective_from=date(2026, 1, 1))
    client.force_login(analyst)
    form = client.get(NEW).context["form"]
    assert form[f"rule_{ESCALATION}_window_days"].initial == 200
    assert form[f"rule_{VISIBLE}_where_0"].initial == 14
    assert "Version 2 is in force" in client.get(NEW).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {f"rule_{ESCALATION}_window_days": "0"},
            f"rule_{ESCALATION}_window_days",
            "Potential escalation, window in days: must be a whole number of days of at least 1, not 0",
        ),
        (
            {f"rule_{ESCALATION}_min_count": "0"},
            f"rule_{ESCALATION}_min_count",
            "Potential escalation, minimum count: must be a whole number of at least 1, not 0",
        ),
        (
            {f"rule_{ESCALATION}_min_count": "three"},
            f"rule_{ESCALATION}_min_count",
            "Enter the minimum count for Potential escalation as a whole number, like 3",
        ),
        (
            {f"rule_{ESCALATION + 1}_window_days": ""},
            f"rule_{ESCALATION + 1}_window_days",
            "Repeat MARAC, window in days: is required for a within_window_of rule",
        ),
        (
            {f"rule_{VISIBLE}_where_0": "high"},
            f"rule_{VISIBLE}_where_0",
            "Enter the score for Visible high risk as a number",
        ),
        (
            {f"rule_{ESCALATION}_window_days": "182"},
            f"rule_{ESCALATION}_description",
            "Potential escalation, description: it still describes the old numbers",
        ),
        ({"notes": ""}, "notes", "Enter who agreed this change, and why"),
        (
            {"effective_from": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "effective_from",
            "must be today or later",
        ),
    ],
)
def test_each_problem_is_named_in_the_error_summary(client, analyst, changes, field, message):
    client.force_login(analyst)
    response = client.post(NEW, numbers(**changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'href="#id_{field}"' in page
    assert message.split(":")[0] in page
    assert PROPOSAL_KEY.format("marac") not in client.session
    assert not RulesetVersion.objects.exists()


def test_several_problems_are_all_shown(client, analyst):
    client.force_login(analyst)
    response = client.post(
        NEW, numbers(**{f"rule_{ESCALATION}_min_count": "0", f"rule_{ESCALATION}_window_days": "-5"})
    )
    errors = response.context["form"].errors
    assert f"rule_{ESCALATION}_min_count" in errors and f"rule_{ESCALATION}_window_days" in errors


def test_a_valid_proposal_goes_to_the_test_step_unsaved(client, analyst):
    client.force_login(analyst)
    response = client.post(NEW, six_months())
    assert response.status_code == 302 and response.url == TEST
    proposal = client.session[PROPOSAL_KEY.format("marac")]
    assert proposal["definition"]["rules"][ESCALATION]["window_days"] == 182
    assert proposal["version"] == 2
    assert not RulesetVersion.objects.exists()
    again = client.get(NEW).context["form"]
    assert again[f"rule_{ESCALATION}_window_days"].initial == 182
    assert again["notes"].initial == "Agreed by the MARAC steering group"


def test_a_list_threshold_is_read_from_commas(client, analyst):
    client.force_login(analyst)
    mace = DEFAULT_RULESETS["mace"]
    response = client.post(
        "/rules/mace/new/",
        numbers(
            mace,
            rule_0_where_0="significant",
            rule_0_description="The latest exploitation assessment is significant.",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    rule = client.session[PROPOSAL_KEY.format("mace")]["definition"]["rules"][0]
    assert rule["where"] == {"level__in": ["significant"]}


def test_the_json_alternative_checks_json_and_the_definition(client, analyst):
    client.force_login(analyst)
    base = {"effective_from": timezone.localdate().isoformat(), "notes": "Agreed by the board"}
    page = client.get("/rules/marac/new/json/")
    assert json.loads(page.context["form"]["definition"].initial) == ruleset_to_dict(MARAC)
    bad_json = client.post("/rules/marac/new/json/", {**base, "definition": "{not json"})
    assert "The definition is not valid JSON: Expecting property name" in bad_json.content.decode()
    data = ruleset_to_dict(MARAC)
    data["rules"][0]["kind"] = "sometimes"
    data["rules"][1]["min_count"] = 2
    invalid = client.post("/rules/marac/new/json/", {**base, "definition": json.dumps(data)})
    errors = invalid.context["form"].errors["definition"]
    assert "The definition's rules[0].kind: unknown kind 'sometimes'" in errors[0]
    assert any("rules[1].min_count: a threshold rule looks at the latest event only" in e for e in errors)
    mace = json.dumps(ruleset_to_dict(DEFAULT_RULESETS["mace"]))
    other = client.post("/rules/marac/new/json/", {**base, "definition": mace})
    assert "a version of 'marac' must keep its id" in other.context["form"].errors["definition"][0]
    data = ruleset_to_dict(MARAC)
    data["rules"] = data["rules"][:1]
    ok = client.post("/rules/marac/new/json/", {**base, "definition": json.dumps(data)})
    assert ok.status_code == 302
    assert client.session[PROPOSAL_KEY.format("marac")]["source"] == "json"


# --- Step 2: test ------------------------------------------------------------------------------


def test_the_test_step_shows_both_versions_on_the_built_in_examples(client, analyst):
    client.force_login(analyst)
    client.post(NEW, six_months())
    response = client.get(TEST)
    assert response.status_code == 200
    trials = {t.title: t for t in response.context["trials"]}
    assert len(trials) == len(EXAMPLES["marac"])
    exact = trials["3 domestic abuse incidents, the oldest exactly 12 months before"]
    (outcome,) = exact.outcomes
    assert outcome.rule_id == "potential_escalation" and outcome.current and not outcome.proposed
    assert [e.index for e in outcome.current_evidence] == [0, 1, 2]
    assert exact.changed
    recent = trials["3 domestic abuse incidents in 5 months"]
    assert recent.outcomes[0].current and recent.outcomes[0].proposed and not recent.changed
    page = response.content.decode()
    assert "Save as version 2" in page and "Outcome changes" in page
    assert "At least 3 domestic abuse incidents as a victim in 182 days" in page
    assert "events[0]</code> domestic abuse incident as a victim, 23 Nov 2025 12:00" in page


def test_an_own_history_uses_the_commands_parser(client, analyst):
    client.force_login(analyst)
    client.post(NEW, six_months())
    history = {
        "as_of": "2026-11-23T12:00",
        "events": [
            {"type": "da_incident", "at": "2026-04-01T10:00", "ref": "a"},
            {"type": "da_incident", "at": "2026-06-01T10:00"},
            {"type": "da_incident", "at": "2026-11-01T10:00"},
            {"type": "marac_referral", "at": "2026-11-02T10:00"},
        ],
    }
    response = client.post(TEST, {"history": json.dumps(history)})
    own = response.context["own"]
    fired = {o.rule_id: o for o in own.outcomes}
    assert set(fired) == {"practitioner_referral", "potential_escalation"}
    assert fired["potential_escalation"].current and not fired["potential_escalation"].proposed
    assert [e.index for e in fired["practitioner_referral"].proposed_evidence] == [3]
    bad = client.post(TEST, {"history": json.dumps({"events": [{"type": "dash", "at": "yesterday"}]})})
    assert bad.status_code == 200
    assert "events[0].at: &#x27;yesterday&#x27; is not an ISO 8601 date-time" in bad.content.decode()
    assert "govuk-error-summary" in bad.content.decode()
    not_json = client.post(TEST, {"history": "{"})
    assert "The history is not valid JSON" in not_json.content.decode()
    assert not RulesetVersion.objects.exists()


def test_the_test_step_without_a_proposal_starts_again(client, analyst):
    client.force_login(analyst)
    assert client.get(TEST).url == NEW
    assert client.post(SAVE).url == NEW
    assert not RulesetVersion.objects.exists()


def test_a_proposal_is_checked_again_at_every_step(client, analyst):
    client.force_login(analyst)
    client.post(NEW, six_months())
    session = client.session
    session[PROPOSAL_KEY.format("marac")]["definition"]["rules"][ESCALATION]["window_days"] = 0
    session.save()
    response = client.post(SAVE)
    assert response.url == NEW
    assert not RulesetVersion.objects.exists()
    assert PROPOSAL_KEY.format("marac") not in client.session


def test_what_the_save_form_posts_is_not_used(client, analyst, force):
    client.force_login(analyst)
    client.post(NEW, six_months())
    tampered = ruleset_to_dict(MARAC)
    tampered["rules"][ESCALATION]["min_count"] = 1
    client.post(SAVE, {"definition": json.dumps(tampered), "version": "9", "effective_from": "2020-01-01"})
    row = RulesetVersion.objects.get()
    assert row.definition["rules"][ESCALATION]["min_count"] == 3
    assert row.definition["rules"][ESCALATION]["window_days"] == 182
    assert (row.version, row.effective_from) == (2, timezone.localdate())


def test_a_proposal_for_another_ruleset_cannot_be_saved_under_this_one(client, analyst):
    client.force_login(analyst)
    client.post(NEW, six_months())
    session = client.session
    session[PROPOSAL_KEY.format("repeat-victim")] = session[PROPOSAL_KEY.format("marac")]
    session.save()
    assert client.post("/rules/repeat-victim/new/save/").url == "/rules/repeat-victim/new/"
    assert not RulesetVersion.objects.exists()


# --- Save --------------------------------------------------------------------------------------


def test_save_creates_the_next_version_audited_and_in_force(client, analyst, force):
    client.force_login(analyst)
    client.post(NEW, six_months())
    response = client.post(SAVE, follow=True)
    assert response.redirect_chain[-1][0] == "/rules/marac/"
    page = response.content.decode()
    assert "Version 2 of MARAC referral criteria saved" in page
    assert "govuk-notification-banner--success" in page
    row = RulesetVersion.objects.get()
    assert (row.version, row.created_by, row.notes) == (2, analyst, "Agreed by the MARAC steering group")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(row.pk), actor=analyst).exists()
    in_force = ruleset_for("marac", force)
    assert in_force.version == 2 and in_force.rules[ESCALATION].window_days == 182
    assert in_force.rules[ESCALATION].description == "3 or more domestic abuse incidents in 6 months."
    assert PROPOSAL_KEY.format("marac") not in client.session
    assert "Version 2 is in force" in page


def test_save_refuses_a_proposal_whose_date_has_passed(client, analyst):
    client.force_login(analyst)
    client.post(NEW, six_months())
    session = client.session
    session[PROPOSAL_KEY.format("marac")]["effective_from"] = "2020-01-01"
    session.save()
    response = client.post(SAVE, follow=True)
    assert "has passed: choose today or later" in response.content.decode()
    assert not RulesetVersion.objects.exists()


def test_save_refuses_when_another_version_was_saved_meanwhile(client, analyst, admin_user, force):
    client.force_login(analyst)
    client.post(NEW, six_months())
    ruleset_version_create(actor=admin_user, force=force, definition=ruleset_to_dict(MARAC))
    response = client.post(SAVE, follow=True)
    assert "Someone saved another version since you started" in response.content.decode()
    assert RulesetVersion.objects.count() == 1


def test_a_user_with_no_partnership_may_read_but_not_propose(client, db):
    Force.objects.create(code="one", name="One")
    Force.objects.create(code="two", name="Two")
    stray = UserFactory(username="stray-analyst", roles=[Role.ANALYST])
    client.force_login(stray)
    assert client.get("/rules/").status_code == 200
    assert client.get(NEW).status_code == 403


# --- The history format (shared with `safehub rules evaluate`) ----------------------------------


def test_history_parser_names_every_problem():
    with pytest.raises(HistoryError) as caught:
        history_from_dict({"as_of": "soon", "events": [{"at": "2026-01-01"}, "x", {"type": "dash"}]})
    assert caught.value.problems == [
        "as_of: 'soon' is not an ISO 8601 date-time, e.g. 2026-11-23T14:00",
        "events[0]: has no type",
        "events[1]: must be an object",
        "events[2].at: None is not an ISO 8601 date-time",
    ]
    with pytest.raises(HistoryError, match='The history must be a JSON object with an "events" list'):
        history_from_text("[]")


def test_history_attrs_and_london_time():
    as_of, (event,) = history_from_dict(
        {
            "as_of": "2026-07-01T12:00",
            "events": [{"type": "dash", "at": "2026-06-30T09:00", "score": 15, "ref": "r"}],
        }
    )
    assert as_of.utcoffset() == timedelta(hours=1)
    assert (event.type, dict(event.attrs), event.ref) == ("dash", {"score": 15}, "r")


@pytest.mark.parametrize("ruleset_id", sorted(EXAMPLES))
def test_every_built_in_example_has_its_expected_outcome_under_the_defaults(ruleset_id):
    assert ruleset_id in DEFAULT_RULESETS
    outcomes = set()
    for example in EXAMPLES[ruleset_id]:
        as_of, events = history_from_dict(dict(example.history))
        fired = tuple(f.rule_id for f in evaluate(DEFAULT_RULESETS[ruleset_id], events, as_of))
        assert fired == example.fires, example.title
        outcomes.add(bool(fired))
    assert outcomes == {True, False}  # each ruleset has examples on both sides of a boundary


def test_every_default_rule_fires_in_some_built_in_example():
    for ruleset_id, ruleset in DEFAULT_RULESETS.items():
        fired = {rule_id for example in EXAMPLES[ruleset_id] for rule_id in example.fires}
        assert fired == {rule.id for rule in ruleset.rules}, ruleset_id


@pytest.mark.parametrize(
    ("ruleset_id", "example"),
    [(ruleset_id, example) for ruleset_id, examples in EXAMPLES.items() for example in examples],
    ids=lambda value: value if isinstance(value, str) else value.id,
)
def test_the_command_gives_each_built_in_example_its_outcome(tmp_path, db, ruleset_id, example):
    """`safehub rules evaluate` reads the same format, for every default ruleset and event type."""
    path = tmp_path / "history.json"
    path.write_text(json.dumps(example.history), encoding="utf-8")
    out = StringIO()
    call_command("rules", "evaluate", ruleset_id, "--history", str(path), stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert tuple(f["rule"] for f in result["fired"]) == example.fires
    for item in result["fired"]:
        assert item["reason"] and item["evidence"]
