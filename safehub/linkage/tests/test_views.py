"""Pages: who may see what (404 outside scope, 403 for roles without access), and the journeys."""

from datetime import date

import pytest
from django.urls import reverse

from safehub.core.models import AuditEvent
from safehub.linkage import rules, services
from safehub.linkage.models import ExtractStatus, MatchReview, Merge, PartnerExtract, ReviewStatus
from safehub.linkage.tests.conftest import make_person
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def person_post(districts, **extra):
    return {
        "district": districts["leeds"].pk,
        "given_name": "Olivia",
        "family_name": "Testington",
        "date_of_birth_0": "9",
        "date_of_birth_1": "4",
        "date_of_birth_2": "2012",
        "dob_precision": "exact",
        "sex": "female",
        "gender": "not_known",
        "ethnicity": "not_stated",
        "disability": "not_known",
        "postcode": "LS6 2AB",
        "address_line1": "14 Grove Lane",
        **extra,
    }


def test_check_offers_the_existing_person_with_evidence(index, owner, districts, as_user):
    response = as_user(owner).post(reverse("linkage:check"), person_post(districts))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Olivia Testington: over 99.9% likely the same person" in body
    assert "Date of birth" in body and "For a match" in body
    assert "None of these: add as a new person" in body


def test_check_for_an_outsider_says_held_by_another_agency_without_details(
    index, outsider, districts, as_user
):
    post = person_post(districts, district=districts["bradford"].pk)
    body = as_user(outsider).post(reverse("linkage:check"), post).content.decode()
    assert "A possible match is held by another agency" in body
    assert "Ask the MASH" in body
    assert "Testington" not in body.split("Possible matches")[1]
    assert str(index["olivia"].pk) not in body


def test_choosing_a_candidate_goes_on_to_the_next_step_and_is_audited(index, owner, as_user):
    olivia = index["olivia"]
    response = as_user(owner).post(
        reverse("linkage:check"), {"action": "choose", "person": olivia.pk, "next": "/missing/new/{person}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/missing/new/{olivia.pk}/"
    assert AuditEvent.objects.filter(person_id=olivia.pk, reason__startswith="Chosen as the match").exists()


def test_choosing_an_out_of_scope_person_is_404(index, outsider, as_user):
    response = as_user(outsider).post(
        reverse("linkage:check"), {"action": "choose", "person": index["olivia"].pk}
    )
    assert response.status_code == 404


def test_next_must_be_a_local_path(index, owner, as_user):
    response = as_user(owner).post(
        reverse("linkage:check"),
        {"action": "choose", "person": index["olivia"].pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("people:detail", args=[index["olivia"].pk])


def test_creating_a_new_person_after_the_check(index, owner, districts, as_user):
    post = person_post(
        districts, given_name="Brandnew", family_name="Personrecord", action="create", shown="0"
    )
    response = as_user(owner).post(reverse("linkage:check"), post)
    person = Person.objects.get(family_name="Personrecord")
    assert response.status_code == 302 and response["Location"] == reverse("people:detail", args=[person.pk])


def test_a_postcode_without_an_address_is_refused_by_field(owner, districts, as_user):
    response = as_user(owner).post(reverse("linkage:check"), person_post(districts, address_line1=""))
    assert "Enter address line 1, or leave the postcode blank" in response.content.decode()


def test_a_future_date_of_birth_is_refused_by_field(owner, districts, as_user):
    response = as_user(owner).post(reverse("linkage:check"), person_post(districts, date_of_birth_2="2999"))
    assert "Date of birth must be today or in the past" in response.content.decode()


@pytest.mark.parametrize("name", ["check", "home", "extracts", "reviews", "duplicates", "model"])
def test_aggregate_roles_get_403(analyst, as_user, name):
    assert as_user(analyst).get(reverse(f"linkage:{name}")).status_code == 403


@pytest.mark.parametrize("name", ["extracts", "reviews", "duplicates"])
def test_partner_practitioners_cannot_link(owner, as_user, name):
    assert as_user(owner).get(reverse(f"linkage:{name}")).status_code == 403


def test_admin_sees_the_model_parameters_table_and_chart(admin_user, as_user):
    body = as_user(admin_user).get(reverse("linkage:model")).content.decode()
    assert "baseline" in body and "<svg" in body and "Match weight" in body
    assert "Date of birth" in body and "https://" not in body.split("<main")[1]


GOOD = (
    "first_name,surname,dob,postcode\n"
    "Olivia,Testington,2012-04-09,LS6 2AB\n"
    "Olivia,Testington,2012-04-08,\n"
    ",x,2001-01-01,\n"
)


def upload(client, districts, content=GOOD):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("linkage:extracts"),
        {
            "district": districts["leeds"].pk,
            "partner_name": "Leeds health",
            "partner_kind": "health",
            "file": SimpleUploadedFile("x.csv", content.encode(), content_type="text/csv"),
        },
    )


def test_upload_reports_bad_rows_then_accept_links_and_queues(index, mash, districts, as_user):
    client = as_user(mash)
    response = upload(client, districts)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Rows with problems" in page and "Enter a first name" in page and "Accept and link 2 rows" in page
    assert not MatchReview.objects.exists()
    client.post(response["Location"] + "accept/")
    page = client.get(response["Location"]).content.decode()
    assert "Linked automatically" in page and "Sent for review" in page
    review = MatchReview.objects.get()
    page = client.get(reverse("linkage:review", args=[review.pk])).content.decode()
    assert "Side by side" in page and "9 April 2012" in page and "8 April 2012" in page
    client.post(reverse("linkage:review", args=[review.pk]), {"decision": "confirm"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFIRMED


def test_a_long_extract_links_a_few_seconds_a_request_and_the_page_shows_how_far(
    index, mash, districts, as_user, monkeypatch
):
    monkeypatch.setattr(rules, "LINK_CHUNK", 1)
    monkeypatch.setattr(rules, "LINK_SECONDS_PER_REQUEST", 0)
    client = as_user(mash)
    url = upload(client, districts)["Location"]
    extract = PartnerExtract.objects.get()
    client.post(reverse("linkage:extract_accept", args=[extract.pk]))
    page = client.get(url).content.decode()
    assert "Linking: 1 of 2 rows so far" in page and "Carry on linking" in page
    assert reverse("linkage:extract_link", args=[extract.pk]) in page and "linkage-extract.mjs" in page
    listed = client.get(reverse("linkage:extracts")).content.decode()
    assert "Linking: 1 of 2 rows (open it to carry on)" in listed
    answer = client.post(reverse("linkage:extract_link", args=[extract.pk]))
    assert answer.status_code == 200
    progress = answer.json()
    assert progress["status"] == "linked" and progress["processed_rows"] == progress["good_rows"] == 2
    assert "Olivia" not in answer.content.decode()
    page = client.get(url).content.decode()
    assert "Linked: " in page and "Carry on linking" not in page
    # Once linked, another step is refused, not repeated.
    again = client.post(reverse("linkage:extract_link", args=[extract.pk]))
    assert again.status_code == 409 and "already been linked" in again.json()["detail"]


def test_the_link_step_is_post_only_and_scoped(index, mash, districts, as_user, agencies):
    from safehub.core.roles import Role
    from safehub.core.tests.factories import UserFactory

    upload(as_user(mash), districts)
    extract = PartnerExtract.objects.get()
    assert as_user(mash).get(reverse("linkage:extract_link", args=[extract.pk])).status_code == 405
    bradford_mash = UserFactory(
        username="bmash2",
        agency=agencies["bradford_csc"],
        district=districts["bradford"],
        roles=[Role.MASH_PRACTITIONER],
    )
    assert as_user(bradford_mash).post(reverse("linkage:extract_link", args=[extract.pk])).status_code == 404
    extract.refresh_from_db()
    assert extract.status == ExtractStatus.CHECKED


def test_upload_without_the_columns_names_them(index, mash, districts, as_user):
    response = upload(as_user(mash), districts, "first_name,surname\nA,B\n")
    assert "The file has no column named dob" in response.content.decode()


def test_outsider_cannot_open_an_extract_or_review(index, mash, districts, as_user, agencies):
    from safehub.core.roles import Role
    from safehub.core.tests.factories import UserFactory

    upload(as_user(mash), districts)
    extract = mash.agency  # noqa: F841 - the extract belongs to Leeds CSC
    bradford_mash = UserFactory(
        username="bmash",
        agency=agencies["bradford_csc"],
        district=districts["bradford"],
        roles=[Role.MASH_PRACTITIONER],
    )
    from safehub.linkage.models import PartnerExtract

    pk = PartnerExtract.objects.visible_to(mash).get().pk
    client = as_user(bradford_mash)
    assert client.get(reverse("linkage:extract", args=[pk])).status_code == 404
    assert client.post(reverse("linkage:extract_accept", args=[pk])).status_code == 404


def test_duplicates_merge_and_undo_through_the_pages(index, mash, agencies, districts, as_user):
    twin = make_person(
        agencies["police"], districts["leeds"], "Olivia", "Testington", date(2012, 4, 9), "LS6 2AB"
    )
    client = as_user(mash)
    page = client.get(reverse("linkage:duplicates")).content.decode()
    assert "Olivia Testington and Olivia Testington" in page
    url = reverse("linkage:merge_create", args=[index["olivia"].pk, twin.pk])
    response = client.post(
        url, {"survivor": str(index["olivia"].pk), "reason": "Same child, same address and DOB"}
    )
    merge = Merge.objects.get()
    assert response["Location"] == reverse("linkage:merge", args=[merge.pk])
    client.post(reverse("linkage:merge", args=[merge.pk]))
    twin.refresh_from_db()
    assert twin.merged_into is None


def test_known_to_page_for_the_mash_and_403_for_others(index, mash, owner, as_user):
    url = reverse("linkage:known_to", args=[index["olivia"].pk])
    body = as_user(mash).get(url).content.decode()
    assert "Leeds Children&#x27;s Social Care" in body or "Leeds Children's Social Care" in body
    assert as_user(owner).get(url).status_code == 403


def test_ask_mash_with_a_forged_token_is_refused(index, owner, as_user):
    response = as_user(owner).post(reverse("linkage:ask_mash"), {"token": "forged"})
    assert response.status_code == 302 and response["Location"] == reverse("linkage:check")
    assert services is not None


def test_merging_a_record_with_itself_is_404_and_reads_nothing(index, mash, as_user):
    olivia = index["olivia"]
    response = as_user(mash).get(reverse("linkage:merge_create", args=[olivia.pk, olivia.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(person_id=olivia.pk, action="read").exists()


def test_the_check_page_searches_by_post_only_so_names_stay_out_of_urls(index, owner, as_user):
    query = {"given_name": "Olivia", "family_name": "Testington", "postcode": "LS6 2AB"}
    page = as_user(owner).get(reverse("linkage:check"), query).content.decode()
    assert '<form method="post"' in page
    assert "Possible matches" not in page and "No possible matches" not in page  # GET never searches
