"""Pages: the list, the MS1 form, the NRM referral form, decisions, statistics; scope and roles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.slavery.models import NrmReferral
from safehub.slavery.tests.conftest import notify, refer

pytestmark = pytest.mark.django_db


def when(prefix, moment):
    local = timezone.localtime(moment)
    return {
        f"{prefix}_date_0": local.day,
        f"{prefix}_date_1": local.month,
        f"{prefix}_date_2": local.year,
        f"{prefix}_time": local.strftime("%H:%M"),
    }


def ms1_form(districts, **extra):
    return {
        "district": districts["leeds"].pk,
        "exploitation_types": ["labour"],
        "nationality": "Romanian",
        "sex": "female",
        "age_at_referral": "29",
        "exploitation_in_uk": "yes",
        "circumstances": "Working in a nail bar, not allowed to leave.",
        **when("referred", timezone.now() - timedelta(hours=1)),
        **extra,
    }


def test_officer_records_an_ms1_from_the_page(client, officer, districts):
    client.force_login(officer)
    response = client.post("/slavery/new/ms1/", ms1_form(districts))
    referral = NrmReferral.objects.get()
    assert response.status_code == 302 and response.url == f"/slavery/{referral.pk}/"
    assert referral.kind == "dtn" and referral.consent == "refused"
    page = client.get(response.url)
    assert "Anonymous (MS1)" in page.content.decode()


def test_an_ms1_with_a_phone_number_shows_the_error_and_saves_nothing(client, officer, districts):
    client.force_login(officer)
    response = client.post("/slavery/new/ms1/", ms1_form(districts, circumstances="Call 07700 900123"))
    assert response.status_code == 400
    assert "anonymous: remove a phone number" in response.content.decode()
    assert not NrmReferral.objects.exists()


def test_officer_refers_an_adult_who_consents(client, officer, adult, districts):
    client.force_login(officer)
    data = ms1_form(districts, consent="given", authority="sca")
    data.pop("age_at_referral")
    response = client.post(f"/slavery/new/{adult.pk}/", data)
    assert response.status_code == 302
    referral = NrmReferral.objects.get()
    assert referral.person == adult and referral.consent == "given"


def test_search_is_by_post_and_audited(client, officer, adult):
    client.force_login(officer)
    response = client.post("/slavery/new/", {"query": "Testadult"})
    assert response.status_code == 200 and "Arben" in response.content.decode()
    assert AuditEvent.objects.filter(action="search", actor=officer).exists()


def test_list_detail_and_decision_pages(client, officer, child, districts):
    referral = refer(officer, child, districts["leeds"], referred_at=timezone.now() - timedelta(days=60))
    client.force_login(officer)
    listing = client.get("/slavery/")
    assert referral.reference in listing.content.decode()
    assert AuditEvent.objects.filter(action="listed", object_id=str(referral.pk)).exists()
    detail = client.get(f"/slavery/{referral.pk}/").content.decode()
    assert "Record the reasonable grounds decision" in detail
    early = client.post(
        f"/slavery/{referral.pk}/conclusive-grounds/",
        {"decision": "positive", **when("decided", timezone.now() - timedelta(hours=1))},
    )
    assert early.status_code == 400
    assert "Record the reasonable grounds decision before" in early.content.decode()
    response = client.post(
        f"/slavery/{referral.pk}/reasonable-grounds/",
        {
            "decision": "positive",
            "authority": "sca",
            **when("decided", referral.referred_at + timedelta(days=1)),
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "recovery"


def test_outsider_gets_404_and_aggregate_roles_403(client, officer, outsider, analyst, child, districts):
    referral = refer(officer, child, districts["leeds"])
    client.force_login(outsider)
    assert client.get(f"/slavery/{referral.pk}/").status_code == 404
    assert client.get(f"/slavery/{referral.pk}/reasonable-grounds/").status_code == 404
    client.force_login(analyst)
    assert client.get("/slavery/").status_code == 403
    assert client.get(f"/slavery/{referral.pk}/").status_code == 403
    assert client.get("/slavery/new/ms1/").status_code == 403


def test_a_school_cannot_record(client, partner):
    client.force_login(partner)
    assert client.get("/slavery/new/").status_code == 403


def test_statistics_page_for_the_commissioner(client, commissioner, officer, child, districts):
    refer(officer, child, districts["leeds"])
    notify(officer, districts["leeds"])
    client.force_login(commissioner)
    page = client.get("/slavery/statistics/").content.decode()
    assert 'id="nrm-total">1<' in page and 'id="dtn-total">1<' in page
    assert "Criminal exploitation" in page and "Tyler" not in page


def test_the_auditor_does_not_see_statistics(client, auditor):
    client.force_login(auditor)
    assert client.get("/slavery/statistics/").status_code == 403
