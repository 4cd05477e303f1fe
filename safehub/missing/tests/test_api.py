"""The missing API: 201/200 on the happy path, 400 naming the field with nothing saved, 404 outside
scope, 403 for aggregate roles and read-only callers."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.missing import services
from safehub.missing.models import MissingEpisode, ProtocolProfile, ReturnInterview
from safehub.missing.tests.factories import found, report

pytestmark = pytest.mark.django_db


def _payload(child, **extra):
    now = timezone.now()
    data = {
        "person": str(child.pk),
        "district": "leeds",
        "reported_by_name": "Ward sister",
        "last_seen_at": (now - timedelta(hours=3)).isoformat(),
        "reported_at": (now - timedelta(hours=1)).isoformat(),
        "last_seen_place": "Ward 12",
        "missing_from": "hospital",
        "risk_level": "low",
        "risk_rationale": "Walked out; no stated risk",
    }
    data.update(extra)
    return data


def test_report_regrade_and_find_through_the_api(api_as, coordinator, child):
    api = api_as(coordinator)
    response = api.post("/api/v1/missing-episodes/", _payload(child), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["routing"] == "nhs_trust" and "NHS trust" in body["routing_reason"]
    episode_id = body["id"]
    response = api.post(
        f"/api/v1/missing-episodes/{episode_id}/regrade/", {"level": "high", "rationale": ""}, format="json"
    )
    assert response.status_code == 400 and "rationale" in response.json()
    response = api.post(
        f"/api/v1/missing-episodes/{episode_id}/regrade/",
        {"level": "high", "rationale": "Took no medication"},
        format="json",
    )
    assert [g["level"] for g in response.json()["gradings"]] == ["low", "high"]
    reported = MissingEpisode.objects.get().reported_at
    response = api.post(
        f"/api/v1/missing-episodes/{episode_id}/found/",
        {
            "found_at": (reported - timedelta(minutes=5)).isoformat(),
            "found_place": "Car park",
            "found_by": "Security",
            "condition_on_return": ["safe_and_well"],
        },
        format="json",
    )
    assert response.status_code == 400 and "found_at" in response.json()
    assert MissingEpisode.objects.get().status == "open"
    response = api.post(
        f"/api/v1/missing-episodes/{episode_id}/found/",
        {
            "found_at": timezone.now().isoformat(),
            "found_place": "Car park",
            "found_by": "Security",
            "condition_on_return": ["safe_and_well"],
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["return_interview"]
    assert api.get("/api/v1/missing-episodes/?status=found").json()["count"] == 1


def test_api_scoping(api_as, coordinator, child, outsider, analyst):
    episode = report(coordinator, child)
    assert api_as(outsider).get(f"/api/v1/missing-episodes/{episode.pk}/").status_code == 404
    assert api_as(analyst).get("/api/v1/missing-episodes/").status_code == 403


def test_interview_for_an_adult_episode_is_a_400(api_as, coordinator, older_adult):
    episode = found(coordinator, report(coordinator, older_adult))
    response = api_as(coordinator).post(
        "/api/v1/return-interviews/", {"episode": str(episode.pk)}, format="json"
    )
    assert response.status_code == 400 and "for children" in response.json()["episode"][0]
    assert not ReturnInterview.objects.exists()


def test_authority_updates_the_interview_and_police_cannot(api_as, coordinator, owner, child):
    found(coordinator, report(coordinator, child))
    interview = ReturnInterview.objects.get()
    response = api_as(owner).patch(
        f"/api/v1/return-interviews/{interview.pk}/",
        {"status": "offered", "interviewer_name": "Sam Advocate", "pull_factors": ["friends"]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "offered"
    response = api_as(coordinator).patch(
        f"/api/v1/return-interviews/{interview.pk}/", {"notes": "x"}, format="json"
    )
    assert response.status_code == 403


def test_profile_api_validates_the_photo_and_restricts_reading(
    api_as, owner, coordinator, outsider, child, png
):
    api = api_as(owner)
    bad = {
        "person": str(child.pk),
        "kind": "philomena",
        "description": "Slim",
        "photo": base64.b64encode(b"not an image at all").decode(),
    }
    response = api.post("/api/v1/protocol-profiles/", bad, format="json")
    assert response.status_code == 400 and "PNG or JPEG" in response.json()["photo"][0]
    response = api.post("/api/v1/protocol-profiles/", {**bad, "photo": "%%%"}, format="json")
    assert response.status_code == 400 and "base64" in response.json()["photo"][0]
    assert not ProtocolProfile.objects.exists()
    good = {**bad, "photo": base64.b64encode(png).decode()}
    response = api.post("/api/v1/protocol-profiles/", good, format="json")
    assert response.status_code == 201 and response.json()["photo_content_type"] == "image/png"
    profile_id = response.json()["id"]
    assert api_as(coordinator).get(f"/api/v1/protocol-profiles/{profile_id}/").status_code == 200
    assert api_as(outsider).get(f"/api/v1/protocol-profiles/{profile_id}/").status_code == 404


def test_unknown_risk_level_is_a_400_naming_the_field(api_as, coordinator, child):
    response = api_as(coordinator).post(
        "/api/v1/missing-episodes/", _payload(child, risk_level="amber"), format="json"
    )
    assert response.status_code == 400 and "risk_level" in response.json()
    assert not MissingEpisode.objects.exists()


def test_measures_count_hospital_routing_and_interviews(coordinator, owner, child, older_adult):
    from safehub.missing import measures

    now = timezone.now()
    report(coordinator, older_adult, missing_from="hospital")
    report(coordinator, older_adult, missing_from="hospital", immediate_risk_stated=True)
    episode = found(
        coordinator, report(coordinator, child, level="high"), found_at=now - timedelta(minutes=10)
    )
    interview = ReturnInterview.objects.get(episode=episode)
    services.return_interview_update(
        actor=owner, interview=interview, status="offered", interviewer_name="Sam"
    )
    start, end = now - timedelta(days=30), now + timedelta(days=30)
    assert measures.hospital_routing(start, end) == {
        "hospital_episodes": 2,
        "nhs_trust": 1,
        "police": 1,
        "percent_nhs_trust": 50.0,
    }
    assert measures.graded_high(start, end)["graded_high"] == 1
    assert measures.interviews_within_72_hours(start, end)["percent_in_time"] == 100.0
    assert measures.year_on_year(start, end) == {"episodes": 3, "previous_year": 0, "change_percent": None}
    assert sum(row["count"] for row in measures.episodes_by_district(start, end)) == 3
    assert measures.median_duration(start, end)["found"] == 1
    assert {m.id for m in measures.MEASURES} >= {"missing_hospital_routing", "missing_rhi_within_72_hours"}


def test_missing_alerts_command_is_idempotent(coordinator, child):
    import io

    from django.core.management import call_command

    found(
        coordinator,
        report(coordinator, child, reported_at=timezone.now() - timedelta(days=6)),
        found_at=timezone.now() - timedelta(days=5),
    )
    out = io.StringIO()
    call_command("missing_alerts", stdout=out)
    call_command("missing_alerts", stdout=out)
    assert "Sent overdue alerts for 1 interview" in out.getvalue()
    assert "Sent overdue alerts for 0 interviews" in out.getvalue()
