"""Person pages against the standard cast."""

import re

import pytest
from django.urls import reverse

from safehub.core.models import AuditEvent, BreakGlass, Share
from safehub.people.models import Person, Relationship

from .factories import PersonFactory, synthetic_nhs_number


@pytest.fixture
def client_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("mash", 200), ("partner", 200), ("outsider", 404), ("analyst", 403), ("auditor", 403)],
)
def test_person_page_by_persona(request, client_as, person, share, persona, expected):
    response = client_as(request.getfixturevalue(persona)).get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == expected
    assert ("Amelia Testperson" in response.content.decode()) == (expected == 200)


def test_person_page_read_is_audited_and_shown_in_who_has_seen(client_as, owner, person):
    client = client_as(owner)
    client.get(reverse("people:detail", args=[person.pk]))
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert AuditEvent.objects.filter(object_id=str(person.pk), action="read", via="web").count() == 2
    assert "Who has seen this record" in response.content.decode()
    assert response.content.decode().count("owner (Leeds Children") >= 2


@pytest.mark.parametrize(("persona", "expected"), [("owner", 200), ("partner", 403), ("outsider", 404)])
def test_edit_page_by_persona(request, client_as, person, share, persona, expected):
    response = client_as(request.getfixturevalue(persona)).get(reverse("people:edit", args=[person.pk]))
    assert response.status_code == expected


def test_search_is_a_post_and_is_scoped(client_as, partner, person, share, bradford_person):
    client = client_as(partner)
    response = client.post(reverse("people:search"), {"query": "Testperson"})
    assert "Amelia Testperson" in response.content.decode()
    response = client.post(reverse("people:search"), {"query": "Elsewhere"})
    assert "Bradley" not in response.content.decode()
    assert AuditEvent.objects.filter(action="search", actor=partner).count() == 2


def test_search_by_nhs_number_and_date_of_birth(client_as, owner, person):
    nhs = synthetic_nhs_number(3)
    person.identifiers.create(kind="nhs_number", value=nhs)
    client = client_as(owner)
    spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    assert "Amelia Testperson" in client.post(reverse("people:search"), {"query": spaced}).content.decode()
    dob = person.date_of_birth.strftime("%d/%m/%Y")
    assert "Amelia Testperson" in client.post(reverse("people:search"), {"query": dob}).content.decode()


def test_create_person_from_the_page(client_as, owner, districts):
    response = client_as(owner).post(
        reverse("people:create"),
        {
            "district": districts["leeds"].pk,
            "given_name": "Noah",
            "family_name": "Madeup",
            "date_of_birth_0": "1",
            "date_of_birth_1": "2",
            "date_of_birth_2": "2012",
            "dob_precision": "exact",
            "sex": "male",
            "gender": "not_known",
            "ethnicity": "asian_pakistani",
            "disability": "no",
        },
    )
    person = Person.objects.get(family_name="Madeup")
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[person.pk])
    assert person.owning_agency == owner.agency


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_of_birth_2": "2999"}, "Date of birth must be today or in the past"),
        ({"ethnicity": "martian"}, "Select an ethnic group from the list"),
        ({"given_name": ""}, "Enter a first name"),
        ({"district": "00000000-0000-0000-0000-000000000000"}, "Select a district your agency serves"),
    ],
)
def test_create_person_errors_show_in_the_error_summary(client_as, owner, districts, changes, message):
    data = {
        "district": districts["leeds"].pk,
        "given_name": "Noah",
        "family_name": "Madeup",
        "date_of_birth_0": "1",
        "date_of_birth_1": "2",
        "date_of_birth_2": "2012",
        "dob_precision": "exact",
        "sex": "male",
        "gender": "not_known",
        "ethnicity": "white_british",
        "disability": "no",
    }
    data.update(changes)
    response = client_as(owner).post(reverse("people:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and message in body
    assert not Person.objects.filter(family_name="Madeup").exists()


def test_add_malformed_nhs_number_shows_error_and_saves_nothing(client_as, owner, person):
    response = client_as(owner).post(
        reverse("people:add_child", args=[person.pk, "identifier"]),
        {"kind": "nhs_number", "value": "123 456 7890"},
    )
    assert "check digit does not match" in response.content.decode()
    assert not person.identifiers.exists()


def test_unknown_child_kind_is_404(client_as, owner, person):
    assert client_as(owner).get(f"/people/{person.pk}/passport/new/").status_code == 404


def test_relationship_is_recorded_both_ways(client_as, owner, person, agencies, districts):
    child = PersonFactory(owning_agency=agencies["leeds_csc"], district=districts["leeds"])
    client_as(owner).post(
        reverse("people:relationship_add", args=[person.pk]),
        {"kind": "parent", "related_person": str(child.pk)},
    )
    assert Relationship.objects.get(person=person, related_person=child).kind == "parent"
    assert Relationship.objects.get(person=child, related_person=person).kind == "child"


def test_relationship_to_an_out_of_scope_person_is_refused(client_as, owner, person, bradford_person):
    response = client_as(owner).post(
        reverse("people:relationship_add", args=[person.pk]),
        {"kind": "sibling", "related_person": str(bradford_person.pk)},
    )
    assert "Enter the record id of a person your agency holds" in response.content.decode()
    assert not Relationship.objects.exists()


def test_owner_shares_a_record_and_partner_then_sees_it(client_as, owner, partner, person, agencies):
    client_as(owner).post(
        reverse("people:share", args=[person.pk]),
        {
            "to_agency": agencies["leeds_school"].pk,
            "purpose": "Child protection plan: school attendance",
            "lawful_basis": "gdpr_6_1_e",
            "condition": "dpa_sch1_18",
            "consent_status": "given",
        },
    )
    assert Share.objects.filter(object_id=person.pk, to_agency=agencies["leeds_school"]).exists()
    response = client_as(partner).get(reverse("people:shared_with_me"))
    assert "Amelia Testperson" in response.content.decode()
    assert AuditEvent.objects.filter(action="listed", actor=partner, object_id=str(person.pk)).count() == 1


def test_sharing_without_consent_needs_a_reason(client_as, owner, person, agencies):
    response = client_as(owner).post(
        reverse("people:share", args=[person.pk]),
        {
            "to_agency": agencies["leeds_school"].pk,
            "purpose": "Safety planning",
            "lawful_basis": "gdpr_6_1_e",
            "consent_status": "not_sought",
        },
    )
    assert "Enter why you are sharing without consent" in response.content.decode()
    assert not Share.objects.exists()


def test_partner_cannot_reshare(client_as, partner, person, share, agencies):
    response = client_as(partner).post(
        reverse("people:share", args=[person.pk]),
        {
            "to_agency": agencies["police"].pk,
            "purpose": "x",
            "lawful_basis": "gdpr_6_1_e",
            "consent_status": "given",
        },
    )
    assert response.status_code == 403
    assert Share.objects.count() == 1


def test_break_glass_journey_is_flagged_for_review(client_as, outsider, person):
    client = client_as(outsider)
    reason = "Child missing overnight, need carer contact details now"
    response = client.post(reverse("people:break_glass"), {"reason": reason, "query": "Testperson"})
    assert "Amelia Testperson" in response.content.decode()
    response = client.post(reverse("people:break_glass_open", args=[person.pk]), {"reason": reason})
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[person.pk]))
    assert page.status_code == 200 and "Emergency access" in page.content.decode()
    assert BreakGlass.objects.get().review == "pending"
    assert AuditEvent.objects.filter(flagged=True, actor=outsider).count() >= 3


def test_break_glass_open_without_reason_is_refused(client_as, outsider, person):
    response = client_as(outsider).post(reverse("people:break_glass_open", args=[person.pk]), {"reason": "x"})
    assert response.status_code == 302
    assert not BreakGlass.objects.exists()
    assert client_as(outsider).get(reverse("people:detail", args=[person.pk])).status_code == 404


def test_names_never_appear_in_urls(client_as, owner, person):
    response = client_as(owner).post(reverse("people:search"), {"query": "Testperson"})
    for url in response.context["results"]:
        assert "Testperson" not in reverse("people:detail", args=[url["id"]])


def test_the_people_pages_share_a_subnav_marking_the_current_page(client_as, owner):
    client = client_as(owner)
    for url, current in (
        ("/people/", "Find a person"),
        ("/people/shared-with-me/", "Shared with me"),
        ("/people/emergency-access/", "Emergency access"),
    ):
        html = client.get(url).content.decode()
        assert 'aria-label="People"' in html
        marked = re.findall(r'aria-current="page">([^<]+)</a>', html)
        assert current in marked, (url, marked)
