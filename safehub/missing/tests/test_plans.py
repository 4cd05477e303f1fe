"""Repeat-missing problem-solving plans end to end: changing the plan, ticking actions off, recording
reviews (with the overdue tag), and the plans and episode-actions API. Outsiders get 404, analysts 403."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safehub.core.models import AuditAction, AuditEvent
from safehub.missing import services
from safehub.missing.models import EpisodeAction, PlanAction, PlanReview, ProblemPlan
from safehub.missing.tests.factories import found, report
from safehub.people.models import ChronologyEvent

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def plan(coordinator, child):
    report(coordinator, child)
    return services.plan_create(
        actor=coordinator,
        person=child,
        owner="Leeds missing team",
        review_date=_today() + timedelta(days=28),
        scan="Goes missing from the placement on Friday nights",
    )


@pytest.fixture
def action(coordinator, plan):
    return services.plan_action_add(
        actor=coordinator,
        plan=plan,
        stage="respond",
        description="Meet the placement to agree a Friday plan",
        owner="Social worker",
        review_date=_today() + timedelta(days=7),
    )


def _date_post(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _make_overdue(plan):
    ProblemPlan.objects.filter(pk=plan.pk).update(review_date=_today() - timedelta(days=3))


# --- services ----------------------------------------------------------------------------------


def test_plan_update_audits_the_changed_fields_and_writes_the_chronology(coordinator, plan):
    services.plan_update(
        actor=coordinator, plan=plan, analyse="Pulled to an older friend's flat", owner="Same"
    )
    plan.refresh_from_db()
    assert plan.analyse == "Pulled to an older friend's flat" and plan.owner == "Same"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(plan.pk)).latest("at")
    assert sorted(event.fields) == ["analyse", "owner"]
    assert ChronologyEvent.objects.filter(person=plan.person, kind="missing_plan_updated").count() == 1


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"owner": "  "}, "owner"),
        ({"review_date": timezone.localdate() - timedelta(days=1)}, "review_date"),
        ({"scan": "New text", "colour": "red"}, "colour"),
    ],
)
def test_bad_plan_update_is_refused_and_saves_nothing(coordinator, plan, fields, field):
    before = ProblemPlan.objects.values().get(pk=plan.pk)
    with pytest.raises(ValidationError) as exc:
        services.plan_update(actor=coordinator, plan=plan, **fields)
    assert field in exc.value.message_dict
    assert ProblemPlan.objects.values().get(pk=plan.pk) == before
    assert not ChronologyEvent.objects.filter(kind="missing_plan_updated").exists()


def test_plan_create_refuses_a_review_date_in_the_past(coordinator, child):
    report(coordinator, child)
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            actor=coordinator, person=child, owner="Team", review_date=_today() - timedelta(days=1)
        )
    assert "review_date" in exc.value.message_dict
    assert not ProblemPlan.objects.exists()


def test_ticking_an_action_off_records_the_date_and_note_and_reopening_clears_it(coordinator, action):
    done = services.plan_action_update(
        actor=coordinator, action=action, status="done", done_note="Friday plan agreed with the home"
    )
    assert done.status == "done" and done.done_on == _today()
    assert ChronologyEvent.objects.filter(kind="missing_plan_action_done").count() == 1
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).latest("at")
    assert sorted(event.fields) == ["done_note", "done_on", "status"]
    reopened = services.plan_action_update(actor=coordinator, action=action, status="open")
    assert reopened.status == "open" and reopened.done_on is None


def test_action_done_in_the_future_or_with_a_bad_status_saves_nothing(coordinator, action):
    tomorrow = _today() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.plan_action_update(actor=coordinator, action=action, status="done", done_on=tomorrow)
    assert "done_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.plan_action_update(actor=coordinator, action=action, status="finished")
    assert "status" in exc.value.message_dict
    action.refresh_from_db()
    assert action.status == "open" and action.done_on is None


def test_a_review_is_recorded_and_moves_the_review_date_on(coordinator, plan):
    _make_overdue(plan)
    plan.refresh_from_db()
    assert plan.review_overdue
    next_review = _today() + timedelta(days=42)
    review = services.plan_review_record(
        actor=coordinator, plan=plan, note="No episodes since the Friday plan", next_review_date=next_review
    )
    plan.refresh_from_db()
    assert plan.review_date == next_review and not plan.review_overdue
    assert review.previous_review_date == _today() - timedelta(days=3) and review.reviewed_by == coordinator
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(review.pk)).exists()
    assert ChronologyEvent.objects.filter(kind="missing_plan_reviewed").count() == 1


def test_a_review_without_a_note_or_with_a_past_next_date_saves_nothing(coordinator, plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_review_record(
            actor=coordinator, plan=plan, note="", next_review_date=_today() + timedelta(days=7)
        )
    assert "note" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.plan_review_record(
            actor=coordinator, plan=plan, note="Fine", next_review_date=_today() - timedelta(days=1)
        )
    assert "next_review_date" in exc.value.message_dict
    assert not PlanReview.objects.exists()
    plan.refresh_from_db()
    assert plan.review_date == _today() + timedelta(days=28)


# --- pages -------------------------------------------------------------------------------------


def test_coordinator_changes_the_plan_from_the_problem_profile(client, coordinator, plan):
    client.force_login(coordinator)
    page = client.get(f"/missing/people/{plan.person_id}/").content.decode()
    assert f"/missing/plans/{plan.pk}/change/" in page and f"/missing/plans/{plan.pk}/review/" in page
    assert client.get(f"/missing/plans/{plan.pk}/change/").status_code == 200
    data = {
        "owner": "Leeds missing team",
        **_date_post("review_date", plan.review_date),
        "scan": plan.scan,
        "analyse": "Pulled to an older friend's flat",
    }
    response = client.post(f"/missing/plans/{plan.pk}/change/", data)
    assert response.status_code == 302 and response.url == f"/missing/people/{plan.person_id}/"
    assert "Pulled to an older friend&#x27;s flat" in client.get(response.url).content.decode()


def test_empty_owner_and_past_review_date_show_the_error_summary_and_save_nothing(client, coordinator, plan):
    client.force_login(coordinator)
    data = {"owner": "", **_date_post("review_date", plan.review_date), "scan": "Changed"}
    page = client.post(f"/missing/plans/{plan.pk}/change/", data).content.decode()
    assert "govuk-error-summary" in page and "Enter who owns the plan" in page
    data = {"owner": "Team", **_date_post("review_date", _today() - timedelta(days=2)), "scan": "Changed"}
    page = client.post(f"/missing/plans/{plan.pk}/change/", data).content.decode()
    assert "govuk-error-summary" in page and "The review date must be today or in the future" in page
    plan.refresh_from_db()
    assert (
        plan.scan == "Goes missing from the placement on Friday nights" and plan.owner == "Leeds missing team"
    )


def test_action_is_ticked_off_on_its_page(client, coordinator, action):
    client.force_login(coordinator)
    page = client.get(f"/missing/people/{action.plan.person_id}/").content.decode()
    assert f"/missing/plan-actions/{action.pk}/change/" in page and ">Open<" in page
    data = {
        "status": "done",
        "owner": action.owner,
        **_date_post("review_date", action.review_date),
        "done_note": "Agreed with the home",
    }
    page = client.post(f"/missing/plan-actions/{action.pk}/change/", data).content.decode()
    assert "govuk-error-summary" in page and "Enter the date the action was done" in page
    response = client.post(
        f"/missing/plan-actions/{action.pk}/change/", data | _date_post("done_on", _today())
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"Done {_today():%-d %b %Y}" in page and "Agreed with the home" in page


def test_overdue_review_is_tagged_then_cleared_by_a_review(client, coordinator, child):
    now = timezone.now()
    for days in (60, 30, 1):
        found(coordinator, report(coordinator, child, reported_at=now - timedelta(days=days)))
    plan = services.plan_create(
        actor=coordinator, person=child, owner="Team", review_date=_today() + timedelta(days=1)
    )
    client.force_login(coordinator)
    assert "Review overdue" not in client.get(f"/missing/people/{child.pk}/").content.decode()
    _make_overdue(plan)
    assert "Review overdue" in client.get(f"/missing/people/{child.pk}/").content.decode()
    assert "Review overdue" in client.get("/missing/repeat/").content.decode()
    page = client.post(f"/missing/plans/{plan.pk}/review/", {"note": ""}).content.decode()
    assert "Enter what has changed since the last review" in page
    response = client.post(
        f"/missing/plans/{plan.pk}/review/",
        {
            "note": "Two episodes since; new Friday plan",
            **_date_post("next_review_date", _today() + timedelta(days=30)),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/missing/people/{child.pk}/").content.decode()
    assert "Review overdue" not in page and "Two episodes since; new Friday plan" in page
    assert "Review overdue" not in client.get("/missing/repeat/").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/missing/plans/{plan}/change/",
        "/missing/plans/{plan}/review/",
        "/missing/plan-actions/{action}/change/",
    ],
)
def test_outsider_gets_404_and_analyst_403_on_the_plan_pages(client, action, outsider, analyst, path):
    url = path.format(plan=action.plan_id, action=action.pk)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"owner": "x", "status": "done", "note": "x"}).status_code == 404
    client.force_login(analyst)
    assert client.get(url).status_code == 403


def test_the_authority_sees_the_shared_episode_but_not_the_police_plan(client, plan, owner):
    client.force_login(owner)
    response = client.get(f"/missing/people/{plan.person_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No plan agreed yet" in page and str(plan.pk) not in page
    assert client.get(f"/missing/plans/{plan.pk}/change/").status_code == 404


# --- API ---------------------------------------------------------------------------------------


def test_plan_api_create_read_change_and_tick_off(api_as, coordinator, child):
    report(coordinator, child)
    api = api_as(coordinator)
    review = (_today() + timedelta(days=28)).isoformat()
    response = api.post(
        "/api/v1/missing-plans/",
        {"person": str(child.pk), "owner": "Leeds missing team", "review_date": review, "scan": "Fridays"},
        format="json",
    )
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    listed = api.get("/api/v1/missing-plans/", {"person": str(child.pk)}).json()
    assert [row["id"] for row in listed["results"]] == [plan_id]
    response = api.patch(f"/api/v1/missing-plans/{plan_id}/", {"assess": "Fewer episodes"}, format="json")
    assert response.status_code == 200 and response.json()["assess"] == "Fewer episodes"
    response = api.post(
        f"/api/v1/missing-plans/{plan_id}/actions/",
        {"stage": "respond", "description": "Meet the home", "owner": "Social worker", "review_date": review},
        format="json",
    )
    assert response.status_code == 201, response.content
    action_id = response.json()["id"]
    response = api.patch(
        f"/api/v1/missing-plan-actions/{action_id}/", {"status": "done", "done_note": "Met"}, format="json"
    )
    assert response.status_code == 200 and response.json()["done_on"] == _today().isoformat()
    response = api.post(
        f"/api/v1/missing-plans/{plan_id}/reviews/",
        {"note": "Working", "next_review_date": (_today() + timedelta(days=60)).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = api.get(f"/api/v1/missing-plans/{plan_id}/").json()
    assert body["actions"][0]["status"] == "done" and body["reviews"][0]["note"] == "Working"
    assert body["review_date"] == (_today() + timedelta(days=60)).isoformat()


def test_plan_api_bad_input_is_a_400_naming_the_field_with_nothing_saved(api_as, coordinator, plan, action):
    api = api_as(coordinator)
    past = (_today() - timedelta(days=1)).isoformat()
    for payload, field in (
        ({"owner": ""}, "owner"),
        ({"review_date": past}, "review_date"),
        ({"colour": "red", "scan": "x"}, "colour"),
    ):
        response = api.patch(f"/api/v1/missing-plans/{plan.pk}/", payload, format="json")
        assert response.status_code == 400 and field in response.json(), response.content
    response = api.post(
        f"/api/v1/missing-plans/{plan.pk}/actions/",
        {"stage": "later", "description": "x", "owner": "y", "review_date": _today().isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "stage" in response.json()
    response = api.patch(f"/api/v1/missing-plan-actions/{action.pk}/", {"status": "finished"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = api.post(
        "/api/v1/missing-plans/",
        {"person": str(plan.pk), "owner": "Team", "review_date": _today().isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()
    plan.refresh_from_db()
    assert (
        plan.scan == "Goes missing from the placement on Friday nights" and ProblemPlan.objects.count() == 1
    )
    assert PlanAction.objects.get().status == "open"


def test_plan_api_scoping(api_as, plan, action, outsider, analyst):
    outsider_api = api_as(outsider)
    assert outsider_api.get("/api/v1/missing-plans/").json()["results"] == []
    assert outsider_api.get(f"/api/v1/missing-plans/{plan.pk}/").status_code == 404
    assert (
        outsider_api.patch(f"/api/v1/missing-plans/{plan.pk}/", {"scan": "x"}, format="json").status_code
        == 404
    )
    assert (
        outsider_api.patch(
            f"/api/v1/missing-plan-actions/{action.pk}/", {"status": "done"}, format="json"
        ).status_code
        == 404
    )
    assert (
        outsider_api.post(f"/api/v1/missing-plans/{plan.pk}/actions/", {}, format="json").status_code == 404
    )
    analyst_api = api_as(analyst)
    assert analyst_api.get("/api/v1/missing-plans/").status_code == 403
    assert analyst_api.get(f"/api/v1/missing-plans/{plan.pk}/").status_code == 403


def test_episode_actions_api_lists_and_adds(api_as, coordinator, child, outsider, analyst):
    episode = report(coordinator, child)
    api = api_as(coordinator)
    url = f"/api/v1/missing-episodes/{episode.pk}/actions/"
    response = api.post(
        url, {"kind": "enquiry", "description": "Checked the bus station CCTV"}, format="json"
    )
    assert response.status_code == 201, response.content
    response = api.post(url, {"kind": "search", "description": "x"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    response = api.post(url, {"kind": "action", "description": ""}, format="json")
    assert response.status_code == 400 and "description" in response.json()
    assert [a["description"] for a in api.get(url).json()] == ["Checked the bus station CCTV"]
    assert EpisodeAction.objects.count() == 1
    assert api_as(outsider).get(url).status_code == 404
    assert api_as(outsider).post(url, {"description": "x"}, format="json").status_code == 404
    assert api_as(analyst).get(url).status_code == 403
