"""/api/v1/nrm-referrals/: scoped, audited, anonymous MS1s, decisions in order, statistics for
aggregate roles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.slavery import measures
from safehub.slavery.models import NrmReferral
from safehub.slavery.tests.conftest import notify, refer

pytestmark = pytest.mark.django_db
URL = "/api/v1/nrm-referrals/"


def ms1_payload(**extra):
    return {
        "kind": "dtn",
        "district": "leeds",
        "exploitation_types": ["labour", "domestic_servitude"],
        "nationality": "Vietnamese",
        "age_at_referral": 24,
        "referred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        **extra,
    }


def test_officer_refers_a_child_and_reads_it_back(api_as, officer, child):
    client = api_as(officer)
    response = client.post(
        URL,
        {
            "kind": "nrm",
            "person": str(child.pk),
            "district": "leeds",
            "exploitation_types": ["criminal"],
            "county_lines": True,
            "nationality": "British",
            "referred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["consent"] == "not_needed" and body["rg_due_at"] and body["status"] == "awaiting_rg"
    detail = client.get(f"{URL}{body['id']}/")
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(object_id=body["id"], action="read").count() == 1
    listed = client.get(URL).json()
    assert listed["count"] == 1


def test_an_ms1_is_anonymous_and_stored(api_as, officer):
    response = api_as(officer).post(URL, ms1_payload(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["person"] is None and response.json()["consent"] == "refused"


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Anna Example"),
        ("date_of_birth", "1990-01-01"),
        ("phone", "07700 900123"),
        ("address", "1 Road"),
    ],
)
def test_an_ms1_with_an_identifying_field_is_400_naming_it(api_as, officer, field, value):
    response = api_as(officer).post(URL, ms1_payload(**{field: value}), format="json")
    assert response.status_code == 400
    assert "anonymous" in str(response.json()[field])
    assert not NrmReferral.objects.exists()


def test_an_ms1_naming_a_person_is_400(api_as, officer, adult):
    response = api_as(officer).post(URL, ms1_payload(person=str(adult.pk)), format="json")
    assert response.status_code == 400 and "person" in response.json()
    assert not NrmReferral.objects.exists()


def test_conclusive_before_reasonable_grounds_is_400_and_in_order_is_200(api_as, officer, child, districts):
    referral = refer(officer, child, districts["leeds"], referred_at=timezone.now() - timedelta(days=70))
    client = api_as(officer)
    early = client.post(
        f"{URL}{referral.pk}/conclusive-grounds/",
        {"decision": "positive", "decided_at": timezone.now().isoformat()},
        format="json",
    )
    assert early.status_code == 400 and "decision" in early.json()
    rg_at = referral.referred_at + timedelta(days=2)
    ok = client.post(
        f"{URL}{referral.pk}/reasonable-grounds/",
        {"decision": "positive", "decided_at": rg_at.isoformat(), "authority": "sca"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["rg_on_time"] is True
    cg = client.post(
        f"{URL}{referral.pk}/conclusive-grounds/",
        {"decision": "positive", "decided_at": (rg_at + timedelta(days=31)).isoformat()},
        format="json",
    )
    assert cg.status_code == 200 and cg.json()["status"] == "positive_cg"
    out = client.post(f"{URL}{referral.pk}/outcome/", {"outcome": "move_on_support"}, format="json")
    assert out.status_code == 200 and out.json()["outcome"] == "move_on_support"


def test_outsider_gets_404(api_as, officer, outsider, child, districts):
    referral = refer(officer, child, districts["leeds"])
    client = api_as(outsider)
    assert client.get(f"{URL}{referral.pk}/").status_code == 404
    assert client.get(f"{URL}not-a-uuid/").status_code == 404
    response = client.post(
        f"{URL}{referral.pk}/reasonable-grounds/",
        {"decision": "positive", "decided_at": timezone.now().isoformat()},
        format="json",
    )
    assert response.status_code == 404
    assert client.get(URL).json()["count"] == 0


def test_mash_does_not_see_a_police_referral_only_its_own(api_as, officer, mash, child, districts):
    police_referral = refer(officer, child, districts["leeds"])
    client = api_as(mash)
    assert client.get(f"{URL}{police_referral.pk}/").status_code == 404
    own = client.post(URL, ms1_payload(), format="json")
    assert own.status_code == 201
    assert [row["id"] for row in client.get(URL).json()["results"]] == [own.json()["id"]]


def test_a_shared_referral_is_read_only(api_as, officer, owner, child, districts, agencies):
    from safehub.core.models import Share

    referral = refer(officer, child, districts["leeds"])
    Share.objects.create(
        object_type="slavery.nrmreferral",
        object_id=referral.pk,
        to_agency=agencies["leeds_csc"],
        from_agency=agencies["police"],
        purpose="Child safeguarding: NRM referral of a looked-after child",
        lawful_basis="public_task",
        condition="dpa_sch1_18",
        consent_status="not_sought",
        consent_note="A child: consent is not needed",
        granted_by=officer,
        expires_at=timezone.now() + timedelta(days=30),
    )
    client = api_as(owner)
    assert client.get(f"{URL}{referral.pk}/").status_code == 200
    response = client.post(
        f"{URL}{referral.pk}/reasonable-grounds/",
        {"decision": "positive", "decided_at": timezone.now().isoformat()},
        format="json",
    )
    assert response.status_code == 403


def test_aggregate_roles_get_403_on_referrals_and_read_statistics(
    api_as, analyst, commissioner, officer, districts
):
    notify(officer, districts["leeds"])
    for user in (analyst, commissioner):
        client = api_as(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, ms1_payload(), format="json").status_code == 403
        stats = client.get(f"{URL}statistics/")
        assert stats.status_code == 200
        assert stats.json()["dtn_reports"] == 1


def test_a_non_first_responder_cannot_refer(api_as, partner):
    assert api_as(partner).post(URL, ms1_payload(), format="json").status_code == 403


def test_statistics_match_the_records(api_as, analyst, officer, child, adult, districts):
    refer(officer, child, districts["leeds"], exploitation_types=["criminal", "sexual"])
    refer(
        officer,
        adult,
        districts["leeds"],
        consent="given",
        exploitation_types=["labour"],
        age_at_exploitation=30,
        county_lines=False,
        nationality="Albanian",
    )
    notify(officer, districts["bradford"])
    body = api_as(analyst).get(f"{URL}statistics/").json()
    assert body["nrm_referrals"] == 2 and body["dtn_reports"] == 1
    by_type = {row["key"]: row["count"] for row in body["by_exploitation_type"]}
    assert by_type["multiple"] == 1 and by_type["labour"] == 1 and by_type["criminal"] == 0
    assert {row["key"]: row["count"] for row in body["by_age_group"]} == {
        "adult": 1,
        "child": 1,
        "unknown": 0,
    }
    assert {row["key"]: row["count"] for row in body["by_nationality"]} == {"British": 1, "Albanian": 1}
    assert sum(row["count"] for row in body["by_sex"]) == 2
    assert {row["key"]: row["count"] for row in body["by_district"]} == {"leeds": 2}
    assert sum(q["nrm_referrals"] for q in body["by_quarter"]) == 2
    assert sum(q["dtn_reports"] for q in body["by_quarter"]) == 1
    assert api_as(analyst).get(f"{URL}statistics/?district=nowhere").status_code == 400
    leeds = api_as(analyst).get(f"{URL}statistics/?district=bradford").json()
    assert leeds["nrm_referrals"] == 0 and leeds["dtn_reports"] == 1


def test_measures_are_declared_and_aggregate_only(officer, child, districts):
    refer(officer, child, districts["leeds"])
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    assert {m.id for m in measures.MEASURES} >= {
        "nrm_by_exploitation_type",
        "nrm_by_quarter",
        "nrm_decisions",
    }
    for measure in measures.MEASURES:
        text = str(measure.query(start, end))
        assert "Tyler" not in text and str(child.pk) not in text
    assert measures.referrals_by_district(start, end) == [
        {"key": "leeds", "label": "Leeds", "count": 1, "percent": 100.0}
    ]
