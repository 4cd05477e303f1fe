"""Pages: the recorder's journey through the forms, and who may see what (404 outside, 403 read-only)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.missing import services
from safehub.missing.models import MissingEpisode, ProtocolProfile, ReturnInterview
from safehub.missing.tests.factories import found, report

pytestmark = pytest.mark.django_db


def _when(prefix, moment):
    local = timezone.localtime(moment)
    return {
        f"{prefix}_date_0": local.day,
        f"{prefix}_date_1": local.month,
        f"{prefix}_date_2": local.year,
        f"{prefix}_time": local.strftime("%H:%M"),
    }


def _episode_post(districts, **extra):
    now = timezone.now()
    data = {
        "district": districts["leeds"].pk,
        "is_child": "yes",
        "reported_by_name": "Duty manager",
        "reported_by_relationship": "Care home staff",
        "last_seen_place": "Leaving the care home",
        "missing_from": "care_home",
        "immediate_risk_stated": "no",
        "risk_level": "medium",
        "risk_rationale": "Out of character",
        **_when("reported", now - timedelta(minutes=30)),
        **_when("last_seen", now - timedelta(hours=2)),
    }
    data.update(extra)
    return data


def test_recorder_reports_regrades_and_records_the_return(client, coordinator, owner, child, png, districts):
    services.profile_create(
        actor=owner, person=child, kind="philomena", description="Slim, dark hair", photo=png
    )
    client.force_login(coordinator)
    assert client.get("/missing/").status_code == 200
    response = client.post("/missing/new/", {"query": "Testchild"})
    assert "Kayla Testchild" in response.content.decode()
    response = client.post(f"/missing/new/{child.pk}/", _episode_post(districts))
    episode = MissingEpisode.objects.get()
    assert response.status_code == 302 and response.url == f"/missing/{episode.pk}/"
    page = client.get(response.url).content.decode()
    assert "Philomena protocol" in page and "Open the briefing sheet" in page
    response = client.post(f"/missing/{episode.pk}/regrade/", {"level": "high", "rationale": ""})
    assert "Enter the rationale for the new risk grading" in response.content.decode()
    client.post(f"/missing/{episode.pk}/regrade/", {"level": "high", "rationale": "Seen with older males"})
    data = {
        **_when("found", timezone.now() - timedelta(minutes=5)),
        "found_place": "Bus station",
        "found_by": "Police patrol",
        "condition_on_return": ["safe_and_well"],
    }
    response = client.post(f"/missing/{episode.pk}/found/", data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Return home interview" in page and "To be offered" in page
    assert ReturnInterview.objects.filter(episode=episode).exists()


def test_found_before_reported_shows_the_error_on_the_form(client, coordinator, child):
    episode = report(coordinator, child)
    client.force_login(coordinator)
    data = {
        **_when("found", episode.reported_at - timedelta(hours=1)),
        "found_place": "Park",
        "found_by": "Staff",
        "condition_on_return": ["safe_and_well"],
    }
    response = client.post(f"/missing/{episode.pk}/found/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "The time found must be after the time reported" in body
    assert "govuk-error-summary" in body
    episode.refresh_from_db()
    assert episode.status == "open"


def test_outsider_gets_404_and_analyst_403(client, coordinator, child, outsider, analyst):
    episode = report(coordinator, child)
    client.force_login(outsider)
    assert client.get(f"/missing/{episode.pk}/").status_code == 404
    assert client.get(f"/missing/people/{child.pk}/").status_code == 404
    client.force_login(analyst)
    assert client.get(f"/missing/{episode.pk}/").status_code == 403
    assert client.get("/missing/").status_code == 403


def test_the_authority_reads_the_episode_but_cannot_regrade_it(client, coordinator, child, owner):
    episode = report(coordinator, child)
    client.force_login(owner)
    assert client.get(f"/missing/{episode.pk}/").status_code == 200
    assert client.get(f"/missing/{episode.pk}/regrade/").status_code == 403
    assert client.get("/missing/new/").status_code == 403


def test_profile_is_for_the_owning_agency_and_police_only(
    client, coordinator, owner, partner, share, child, png
):
    profile = services.profile_create(
        actor=owner, person=child, kind="philomena", description="Slim", photo=png
    )
    client.force_login(owner)
    page = client.get(f"/missing/profiles/{profile.pk}/").content.decode()
    assert "data:image/png;base64," in page and "Update the profile" in page
    client.force_login(coordinator)
    page = client.get(f"/missing/profiles/{profile.pk}/").content.decode()
    assert "Update the profile" not in page
    read = AuditEvent.objects.filter(object_id=str(profile.pk), actor=coordinator, action="read").get()
    assert read.reason == "Police access to a protocol profile"
    assert client.get(f"/missing/profiles/{profile.pk}/change/").status_code == 403
    pdf = client.get(f"/missing/profiles/{profile.pk}/briefing.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(partner)  # the school sees the child's record through a share, not the profile
    assert client.get(f"/missing/profiles/{profile.pk}/").status_code == 404


def test_profile_upload_refuses_a_file_that_is_not_an_image(client, owner, child):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(owner)
    upload = SimpleUploadedFile("photo.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = client.post(
        f"/missing/profiles/new/{child.pk}/", {"kind": "philomena", "description": "Slim", "photo": upload}
    )
    assert "The photo must be a PNG or JPEG image" in response.content.decode()
    assert not ProtocolProfile.objects.exists()


def test_problem_profile_shows_the_heat_map_places_and_plan(client, coordinator, child):
    now = timezone.now()
    for days in (60, 30, 1):
        found(coordinator, report(coordinator, child, reported_at=now - timedelta(days=days)))
    client.force_login(coordinator)
    page = client.get(f"/missing/people/{child.pk}/").content.decode()
    assert "Repeat missing: 3 missing episodes" in page
    assert "app-heat__cell--4" in page and "City bus station (3)" in page
    response = client.post(
        f"/missing/people/{child.pk}/plan/",
        {
            "owner": "Leeds missing team",
            "review_date_0": "1",
            "review_date_1": "12",
            "review_date_2": "2030",
            "scan": "Goes missing from the placement on Friday nights",
        },
    )
    assert response.status_code == 302
    assert "Goes missing from the placement on Friday nights" in client.get(response.url).content.decode()
    repeat = client.get("/missing/repeat/").content.decode()
    assert "Kayla Testchild" in repeat


def test_interview_page_lets_the_authority_record_it(client, coordinator, owner, child):
    episode = found(coordinator, report(coordinator, child))
    interview = ReturnInterview.objects.get(episode=episode)
    client.force_login(owner)
    response = client.post(
        f"/missing/interviews/{interview.pk}/",
        {"status": "offered", "interviewer_name": "Sam Advocate", "interviewer_independent": "yes"},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "offered"
    client.force_login(coordinator)
    assert client.post(f"/missing/interviews/{interview.pk}/", {"status": "accepted"}).status_code == 403


def test_navigation_shows_missing_to_the_coordinator(client, coordinator, agencies, districts):
    client.force_login(coordinator)
    assert 'href="/missing/"' in client.get("/").content.decode()
    school = UserFactory(
        username="teacher",
        agency=agencies["leeds_school"],
        district=districts["leeds"],
        roles=[Role.PARTNER_PRACTITIONER],
    )
    client.force_login(school)
    assert 'href="/missing/"' not in client.get("/").content.decode()
