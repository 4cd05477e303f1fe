"""A partnership's ruleset versions: ruleset_for, ruleset_version_create, the admin, `safehub rules`."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from safehub.core.models import AuditEvent, Force, RulesetVersion
from safehub.core.roles import Role
from safehub.core.rules import DEFAULT_RULESETS, ruleset_to_dict
from safehub.core.rulesets import UnknownRuleset, ruleset_for, ruleset_version_create
from safehub.core.tests.factories import UserFactory


@pytest.fixture
def force(db):
    return Force.objects.create(code="wyp", name="West Yorkshire")


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="rules-admin", roles=[Role.ADMIN])
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def local_repeat_victim(min_count=2, window_days=180):
    data = ruleset_to_dict(DEFAULT_RULESETS["repeat-victim"])
    data["rules"][0].update(min_count=min_count, window_days=window_days)
    data["notes"] = "Agreed by the partnership board"
    return data


# --- ruleset_for and ruleset_version_create ----------------------------------------------------


def test_ruleset_for_gives_the_default_when_nothing_is_stored(force):
    assert ruleset_for("repeat-victim", force) == DEFAULT_RULESETS["repeat-victim"]
    assert ruleset_for("marac") == DEFAULT_RULESETS["marac"]


def test_unknown_ruleset_names_the_known_ones(force):
    with pytest.raises(UnknownRuleset) as caught:
        ruleset_for("nope", force)
    assert "Known rulesets: mace, marac, mash-escalation" in str(caught.value)


def test_a_new_version_is_numbered_after_the_default_audited_and_used(force, admin_user):
    row = ruleset_version_create(actor=admin_user, force=force, definition=local_repeat_victim())
    assert (row.ruleset_id, row.version, row.created_by, row.effective_from) == (
        "repeat-victim",
        2,
        admin_user,
        timezone.localdate(),
    )
    assert row.definition["version"] == 2
    ruleset = ruleset_for("repeat-victim", force)
    assert (ruleset.version, ruleset.rules[0].min_count, ruleset.rules[0].window_days) == (2, 2, 180)
    # The only force is the default partnership.
    assert ruleset_for("repeat-victim").version == 2
    event = AuditEvent.objects.get(action="create", object_type="core.rulesetversion")
    assert event.actor == admin_user and event.object_id == str(row.pk)

    again = ruleset_version_create(actor=admin_user, force=force, definition=local_repeat_victim(4))
    assert again.version == 3
    assert ruleset_for("repeat-victim", "wyp").rules[0].min_count == 4


def test_a_version_applies_from_its_effective_date(force, admin_user):
    starts = timezone.localdate() + timedelta(days=10)
    ruleset_version_create(
        actor=admin_user, force=force, definition=local_repeat_victim(), effective_from=starts
    )
    assert ruleset_for("repeat-victim", force).version == 1
    assert ruleset_for("repeat-victim", force, at=starts).version == 2
    assert ruleset_for("repeat-victim", force, at=starts - timedelta(days=1)).version == 1


def test_another_forces_version_does_not_apply(force, admin_user):
    other = Force.objects.create(code="nyp", name="North Yorkshire")
    ruleset_version_create(actor=admin_user, force=other, definition=local_repeat_victim())
    assert ruleset_for("repeat-victim", force).version == 1
    assert ruleset_for("repeat-victim", other).version == 2
    assert ruleset_for("repeat-victim").version == 1  # two forces: no default partnership


def test_a_bad_definition_saves_nothing_and_lists_each_problem(force, admin_user):
    bad = local_repeat_victim(min_count=0, window_days=-1)
    with pytest.raises(ValidationError) as caught:
        ruleset_version_create(actor=admin_user, force=force, definition=bad)
    problems = caught.value.message_dict["definition"]
    assert any(p.startswith("rules[0].min_count") for p in problems)
    assert any(p.startswith("rules[0].window_days") for p in problems)
    assert not RulesetVersion.objects.exists()
    assert not AuditEvent.objects.filter(object_type="core.rulesetversion").exists()


def test_only_an_analyst_or_an_administrator_may_change_the_rules(force, owner, analyst):
    with pytest.raises(PermissionDenied, match="Only an analyst or an administrator"):
        ruleset_version_create(actor=owner, force=force, definition=local_repeat_victim())
    assert not RulesetVersion.objects.exists()
    definition = local_repeat_victim()
    assert ruleset_version_create(actor=analyst, force=force, definition=definition).version == 2
    assert ruleset_version_create(actor="job:import", force=force, definition=definition).version == 3


def test_a_new_ruleset_id_can_be_stored_by_a_partnership(force, admin_user):
    data = local_repeat_victim()
    data["id"] = "repeat-suspect"
    row = ruleset_version_create(actor=admin_user, force=force, definition=data)
    assert row.version == 1
    assert ruleset_for("repeat-suspect", force).id == "repeat-suspect"


# --- The admin -------------------------------------------------------------------------------


def admin_post(client, force, definition_text):
    return client.post(
        reverse("admin:core_rulesetversion_add"),
        {"force": force.pk, "definition": definition_text, "effective_from": "2026-01-01", "notes": "Board"},
    )


def test_admin_shows_invalid_json(client, force, admin_user):
    client.force_login(admin_user)
    response = admin_post(client, force, "{not json")
    assert response.status_code == 200
    assert "Enter a valid JSON" in response.content.decode()
    assert not RulesetVersion.objects.exists()


def test_admin_shows_each_ruleset_problem(client, force, admin_user):
    client.force_login(admin_user)
    response = admin_post(client, force, json.dumps(local_repeat_victim(min_count=0)))
    assert response.status_code == 200
    assert "rules[0].min_count: must be a whole number of at least 1" in response.content.decode()
    assert not RulesetVersion.objects.exists()


def test_admin_adds_the_next_version_through_the_service(client, force, admin_user):
    client.force_login(admin_user)
    response = admin_post(client, force, json.dumps(local_repeat_victim()))
    assert response.status_code == 302, response.content.decode()[:2000]
    row = RulesetVersion.objects.get()
    assert (row.version, row.created_by, row.effective_from, row.notes) == (
        2,
        admin_user,
        date(2026, 1, 1),
        "Board",
    )
    assert AuditEvent.objects.filter(object_type="core.rulesetversion", actor=admin_user).exists()


def test_admin_add_page_starts_from_a_default(client, force, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:core_rulesetversion_add") + "?ruleset=marac")
    assert response.status_code == 200
    assert "potential_escalation" in response.content.decode()


def test_admin_versions_cannot_be_changed_or_deleted(client, force, admin_user):
    row = ruleset_version_create(actor=admin_user, force=force, definition=local_repeat_victim())
    client.force_login(admin_user)
    change = client.post(reverse("admin:core_rulesetversion_change", args=[row.pk]), {"notes": "changed"})
    assert change.status_code in (200, 403)
    assert (
        client.post(reverse("admin:core_rulesetversion_delete", args=[row.pk]), {"post": "yes"}).status_code
        == 403
    )
    row.refresh_from_db()
    assert row.notes == ""


# --- safehub rules ---------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("rules", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def history_file(tmp_path, data, name="history.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


HISTORY = {
    "as_of": "2026-11-23T12:00",
    "events": [
        {"type": "contact_victim", "at": "2025-11-23T12:00", "ref": "c1"},
        {"type": "contact_victim", "at": "2026-06-01T09:30:00+01:00", "ref": "c2", "grade": "priority"},
        {"type": "contact_victim", "at": "2026-11-20T22:15", "ref": "c3"},
        {"type": "contact_victim", "at": "2026-12-01T09:00", "ref": "after-as-of"},
        {"type": "dash", "at": "2026-11-20T22:30", "score": 15},
    ],
}


def test_evaluate_prints_what_fired_as_json(tmp_path, db):
    out, _ = run("evaluate", "repeat-victim", "--history", history_file(tmp_path, HISTORY))
    result = json.loads(out)
    assert result["ruleset"] == "repeat-victim"
    assert result["version"] == 1
    assert result["as_of"] == "2026-11-23T12:00:00+00:00"
    (fired,) = result["fired"]
    assert fired["rule"] == "repeat_victim"
    assert fired["title"] == "Repeat victim"
    assert fired["reason"].startswith(
        "3 contacts recording the person as a victim in the 12 months to 23 Nov 2026"
    )
    assert [e["ref"] for e in fired["evidence"]] == ["c1", "c2", "c3"]
    assert fired["evidence"][1] == {"type": "contact_victim", "at": "2026-06-01T09:30:00+01:00", "ref": "c2"}


def test_evaluate_with_attrs_and_nothing_fired(tmp_path, db):
    out, _ = run("evaluate", "marac", "--history", history_file(tmp_path, HISTORY))
    assert [f["rule"] for f in json.loads(out)["fired"]] == ["visible_high_risk"]
    quiet = {"as_of": "2026-11-23T12:00", "events": [{"type": "dash", "at": "2026-11-01T10:00", "score": 3}]}
    out, _ = run("evaluate", "marac", "--history", history_file(tmp_path, quiet))
    assert json.loads(out)["fired"] == []


def test_evaluate_uses_the_forces_version(tmp_path, force, admin_user):
    ruleset_version_create(
        actor=admin_user, force=force, definition=local_repeat_victim(4), effective_from=date(2026, 1, 1)
    )
    out, _ = run("evaluate", "repeat-victim", "--history", history_file(tmp_path, HISTORY), "--force", "wyp")
    result = json.loads(out)
    assert result["version"] == 2
    assert result["fired"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            "is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)",
        ),
        ("[]", 'must be a JSON object with an "events" list'),
        ({"events": [{"at": "2026-11-01T10:00"}]}, "events[0]: has no type"),
        (
            {"events": [{"type": "dash", "at": "2026-11-01"}, {"type": "", "at": "2026-11-01"}]},
            "events[1]: has no type",
        ),
        ({"events": [{"type": "dash", "at": "yesterday"}]}, "events[0].at: 'yesterday' is not an ISO 8601"),
        ({"events": [{"type": "dash"}]}, "events[0].at: None is not an ISO 8601"),
        ({"events": ["dash"]}, "events[0]: must be an object"),
        ({"as_of": "soon", "events": []}, "as_of: 'soon' is not an ISO 8601"),
    ],
)
def test_evaluate_refuses_a_bad_history_file(tmp_path, db, content, message):
    with pytest.raises(CommandError) as caught:
        run("evaluate", "marac", "--history", history_file(tmp_path, content))
    assert message in str(caught.value)


def test_evaluate_refuses_an_unknown_ruleset_force_or_file(tmp_path, force):
    path = history_file(tmp_path, HISTORY)
    with pytest.raises(CommandError, match="Unknown ruleset 'nope'. Known rulesets: mace"):
        run("evaluate", "nope", "--history", path)
    with pytest.raises(CommandError, match="Unknown force 'atlantis'. Known forces: wyp"):
        run("evaluate", "marac", "--history", path, "--force", "atlantis")
    with pytest.raises(CommandError, match="Cannot read the history file"):
        run("evaluate", "marac", "--history", str(tmp_path / "missing.json"))


def test_list_prints_every_ruleset_and_rule(db):
    out, _ = run("list")
    for ruleset_id, ruleset in DEFAULT_RULESETS.items():
        assert f"{ruleset_id} (version {ruleset.version}): {ruleset.title}" in out
        for rule in ruleset.rules:
            assert f"  {rule.id} [{rule.kind}]" in out
    assert "potential_escalation [count_in_window] Potential escalation: at least 3 domestic abuse" in out


def test_list_json_shows_the_forces_versions(force, admin_user):
    ruleset_version_create(actor=admin_user, force=force, definition=local_repeat_victim())
    out, _ = run("list", "--json", "--force", "wyp")
    listed = {item["id"]: item for item in json.loads(out)}
    assert listed["repeat-victim"]["version"] == 2
    assert listed["marac"] == ruleset_to_dict(DEFAULT_RULESETS["marac"])
