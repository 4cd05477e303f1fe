"""No lost updates (409 in the page and the API, nothing changed) and bad input refused with
nothing partial saved."""

import pytest
from django.urls import reverse

from safehub.people.models import Person
from safehub.referrals import services
from safehub.referrals.models import Decision, Referral, ReferralSubject
from safehub.referrals.tests.conftest import referral_fields

pytestmark = pytest.mark.django_db


def test_stale_service_call_raises_with_current_state(referral, mash):
    loaded = referral.version
    services.referral_triage(
        actor=mash, referral=referral, expected_version=loaded, rag="red", reason="First"
    )
    with pytest.raises(services.StaleReferral) as caught:
        services.referral_triage(
            actor=mash,
            referral=Referral.objects.get(pk=referral.pk),
            expected_version=loaded,
            rag="green",
            reason="Second",
        )
    assert caught.value.current.rag == "red"
    referral.refresh_from_db()
    assert referral.rag == "red" and referral.rag_reason == "First"


def test_stale_page_write_is_409_with_current_version(client, referral, mash, mashmanager):
    loaded = referral.version
    client.force_login(mashmanager)
    first = client.post(
        reverse("referrals:triage", args=[referral.pk]), {"rag": "red", "reason": "Urgent", "version": loaded}
    )
    assert first.status_code == 302
    client.force_login(mash)
    second = client.post(
        reverse("referrals:triage", args=[referral.pk]), {"rag": "green", "reason": "Low", "version": loaded}
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this referral while you were working on it" in page
    assert "Urgent" in page  # the current values
    referral.refresh_from_db()
    assert referral.rag == "red" and referral.rag_reason == "Urgent"
    assert f'value="{referral.version}"' in page  # the form now carries the current version


def test_stale_api_write_is_409_with_current(api_as, referral, mash):
    loaded = referral.version
    services.referral_triage(
        actor=mash, referral=referral, expected_version=loaded, rag="amber", reason="First"
    )
    client = api_as(mash)
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/decision/",
        {"outcome": "early_help", "rationale": "Family support", "version": loaded},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert "Someone else changed this referral" in body["detail"]
    assert body["current"]["rag"] == "amber" and body["current"]["version"] == loaded + 1
    assert not Decision.objects.exists()


def test_referral_with_no_subject_refused_nothing_saved(school_user, districts):
    people = Person.objects.count()
    with pytest.raises(services.ValidationError) as caught:
        services.referral_create(
            actor=school_user, district=districts["leeds"], subjects=[], **referral_fields()
        )
    assert "subjects" in caught.value.message_dict
    assert not Referral.objects.exists() and Person.objects.count() == people


def test_api_referral_with_no_subject_or_category_400(api_as, school_user):
    client = api_as(school_user)
    body = {"district": "leeds", **referral_fields(), "subjects": []}
    response = client.post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400 and "subjects" in response.json()
    body = {
        **body,
        "categories": [],
        "subjects": [{"new_person": {"given_name": "A", "family_name": "B", "district": "leeds"}}],
    }
    response = client.post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400 and "categories" in response.json()
    assert not Referral.objects.exists() and not Person.objects.filter(family_name="B").exists()


def test_referral_with_no_category_refused_nothing_saved(school_user, districts, child):
    with pytest.raises(services.ValidationError) as caught:
        services.referral_create(
            actor=school_user,
            district=districts["leeds"],
            subjects=[{"new_person": {"given_name": "New", "family_name": "Kid"}}],
            **referral_fields(categories=[]),
        )
    assert "categories" in caught.value.message_dict
    assert not Referral.objects.exists() and not ReferralSubject.objects.exists()
    assert not Person.objects.filter(family_name="Kid").exists()


def test_page_submit_without_subject_is_refused(client, school_user, child):
    client.force_login(school_user)
    data = {**referral_fields(), "district": child.district_id, "source": "school", "condition": ""}
    assert client.post(reverse("referrals:create"), data).status_code == 302
    response = client.post(reverse("referrals:create_submit"), follow=True)
    assert "Add at least one person the referral is about" in response.content.decode()
    assert not Referral.objects.exists()


def test_decision_without_rationale_refused(client, api_as, referral, mash):
    services.referral_triage(
        actor=mash, referral=referral, expected_version=referral.version, rag="green", reason="x"
    )
    referral.refresh_from_db()
    with pytest.raises(services.ValidationError):
        services.decision_record(
            actor=mash,
            referral=referral,
            expected_version=referral.version,
            outcome="nfa_advice",
            rationale="  ",
        )
    client.force_login(mash)
    page = client.post(
        reverse("referrals:decide", args=[referral.pk]),
        {"outcome": "nfa_advice", "rationale": "", "version": referral.version},
    )
    assert page.status_code == 200 and "Enter the rationale for the decision" in page.content.decode()
    response = api_as(mash).post(
        f"/api/v1/referrals/{referral.pk}/decision/",
        {"outcome": "nfa_advice", "version": referral.version},
        format="json",
    )
    assert response.status_code == 400 and "rationale" in response.json()
    referral.refresh_from_db()
    assert not Decision.objects.exists() and referral.status == "triaged"


def test_consent_note_needed_without_consent(school_user, districts, child):
    with pytest.raises(services.ValidationError) as caught:
        services.referral_create(
            actor=school_user,
            district=districts["leeds"],
            subjects=[{"person": child}],
            **referral_fields(consent_note=""),
        )
    assert "consent_note" in caught.value.message_dict
    assert not Referral.objects.exists()
