"""Person matching in the browser: entering a person who already exists offers the match; a
reviewer confirms a queued pair; a merge is undone and everything is back as it was. Every page
is checked with axe (WCAG 2.2 AA)."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.models import AuditEvent
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.linkage import matching, rules, services
from safehub.linkage.models import ExtractStatus, MatchReview, Merge, ReviewStatus
from safehub.people.models import Address, ChronologyEvent, Identifier, Person
from safehub.people.tests.factories import PersonFactory
from tests.system.conftest import axe_check, sign_in, visit


@pytest.fixture(autouse=True)
def _fresh_matcher(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    matching._cache.clear()
    yield
    matching._cache.clear()


def person(agency, district, given, family, dob, postcode, line1):
    made = PersonFactory(
        owning_agency=agency, district=district, given_name=given, family_name=family, date_of_birth=dob
    )
    Address.objects.create(person=made, line1=line1, town="Leeds", postcode=postcode)
    return made


def health_extract(mash, content: bytes):
    return services.extract_check(
        actor=mash,
        district=mash.district,
        partner_name="Leeds community health",
        partner_kind="health",
        filename="health.csv",
        content=content,
    )


def snapshot(*people):
    ids = [p.pk for p in people]
    return {
        "addresses": sorted(Address.objects.filter(person_id__in=ids).values_list("pk", "person_id")),
        "identifiers": sorted(Identifier.objects.filter(person_id__in=ids).values_list("pk", "person_id")),
        "chronology": sorted(
            ChronologyEvent.objects.filter(person_id__in=ids).values_list("pk", "person_id")
        ),
        "merged": sorted(Person.objects.filter(pk__in=ids).values_list("pk", "merged_into")),
    }


def test_match_offered_pair_confirmed_merge_undone(page, agencies, districts, password):
    leeds = districts["leeds"]
    mash = UserFactory(
        username="mash", agency=agencies["leeds_csc"], district=leeds, roles=[Role.MASH_PRACTITIONER]
    )
    olivia = person(
        agencies["leeds_csc"], leeds, "Olivia", "Testington", date(2012, 4, 9), "LS6 2AB", "14 Grove Lane"
    )
    person(agencies["police"], leeds, "Jacob", "Samplewood", date(1988, 11, 23), "LS9 8QT", "2 Park Row")
    sign_in(page, "mash", password)

    # Entering a person who already exists offers the match, with the evidence.
    visit(page, "/linkage/check/")
    page.get_by_label("District").select_option(label="Leeds")
    page.get_by_label("First name").fill("Olivia")
    page.get_by_label("Last name").fill("Testington")
    page.locator("#id_date_of_birth_0").fill("9")
    page.locator("#id_date_of_birth_1").fill("4")
    page.locator("#id_date_of_birth_2").fill("2012")
    page.get_by_label("Address line 1").fill("14 Grove Lane")
    page.get_by_label("Postcode").fill("LS6 2AB")
    page.get_by_role("button", name="Check for a match").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(
        page.get_by_role("heading", name="Olivia Testington: over 99.9% likely the same person")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Evidence field by field").first).to_contain_text("Date of birth")
    page.get_by_role("button", name="This is the person").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith(f"/people/{olivia.pk}/")
    assert Person.objects.filter(given_name="Olivia").count() == 1

    # A partner's extract puts an uncertain pair in the queue; the reviewer confirms it.
    extract = health_extract(mash, b"first_name,surname,dob\nOlivia,Testington,2012-04-08\n")
    services.extract_accept(actor=mash, extract=extract)
    visit(page, "/linkage/reviews/")
    page.get_by_role("link", name="Compare with Olivia Testington").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.get_by_role("table", name="Side by side")).to_contain_text("8 April 2012")
    page.get_by_role("button", name="Same person: link the record").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    review = MatchReview.objects.get()
    assert review.status == ReviewStatus.CONFIRMED and review.record.person == olivia

    # A duplicate record is merged, then the merge is undone: everything is back as it was.
    twin = person(
        agencies["police"], leeds, "Olivia", "Testington", date(2012, 4, 9), "LS6 2AB", "14 Grove Lane"
    )
    ChronologyEvent.objects.create(person=twin, kind="contact", at=timezone.now(), summary="Police contact")
    before = snapshot(olivia, twin)
    visit(page, "/linkage/duplicates/")
    page.get_by_role("link", name="Merge Olivia Testington and Olivia Testington").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label(f"Olivia Testington ({agencies['leeds_csc'].name})").check()
    page.get_by_label("Why are these the same person?").fill("Same child: same date of birth and address")
    page.get_by_role("button", name="Merge the records").click()
    page.wait_for_load_state()
    axe_check(page)
    assert snapshot(olivia, twin) != before
    page.get_by_role("button", name="Undo this merge").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.get_by_text("Both records are back as they were before the merge.")).to_be_visible()
    assert snapshot(olivia, twin) == before
    assert Merge.objects.get().is_undone


def test_extract_pages_known_to_and_the_model_pass_axe(page, agencies, districts, password, tmp_path):
    leeds = districts["leeds"]
    UserFactory(username="mash", agency=agencies["leeds_csc"], district=leeds, roles=[Role.MASH_MANAGER])
    UserFactory(username="admin", agency=agencies["police"], district=None, roles=[Role.ADMIN])
    olivia = person(
        agencies["leeds_csc"], leeds, "Olivia", "Testington", date(2012, 4, 9), "LS6 2AB", "14 Grove Lane"
    )
    extract_file = tmp_path / "health.csv"
    extract_file.write_text(
        "reference,first_name,surname,dob,postcode\n"
        "H1,Olivia,Testington,09/04/2012,LS6 2AB\nH2,,Nofirst,2010-01-01,\nH3,Ann,Newperson,2001-01-01,\n"
    )
    sign_in(page, "mash", password)
    visit(page, "/linkage/")
    page.get_by_role("link", name="Partner extracts").first.click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("District").select_option(label="Leeds")
    page.get_by_label("Partner system").fill("Leeds community health")
    page.get_by_label("Health").check()
    page.get_by_label("CSV file").set_input_files(str(extract_file))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.get_by_role("table").first).to_contain_text("Enter a first name")
    page.get_by_role("button", name="Accept and link 2 rows").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(
        page.get_by_text("Linked: 1 automatically, 0 for review, 1 not found in the index")
    ).to_be_visible()
    visit(page, f"/linkage/known-to/{olivia.pk}/")
    expect(page.get_by_role("table")).to_contain_text("Leeds Children's Social Care")
    visit(page, "/linkage/model/")
    page.context.clear_cookies()  # signed out; now the administrator
    sign_in(page, "admin", password)
    visit(page, "/linkage/model/")
    expect(page.get_by_role("table", name="Parameters")).to_be_visible()


@pytest.fixture
def one_row_a_step(monkeypatch, agencies, districts):
    """One row a step, and a step as short as it can be; a Leeds MASH manager to link with."""
    monkeypatch.setattr(rules, "LINK_CHUNK", 1)
    monkeypatch.setattr(rules, "LINK_SECONDS_PER_REQUEST", 0)
    return UserFactory(
        username="mash", agency=agencies["leeds_csc"], district=districts["leeds"], roles=[Role.MASH_MANAGER]
    )


def test_a_long_extract_links_in_steps_with_its_progress_on_the_page(
    page, agencies, districts, password, one_row_a_step
):
    leeds = districts["leeds"]
    person(agencies["leeds_csc"], leeds, "Olivia", "Testington", date(2012, 4, 9), "LS6 2AB", "14 Grove Lane")
    extract = health_extract(
        one_row_a_step,
        b"first_name,surname,dob,postcode\nOlivia,Testington,2012-04-09,LS6 2AB\n"
        b"Ann,Newperson,2001-01-01,\nBen,Otherperson,1999-05-06,\nCal,Thirdperson,1985-07-08,\n",
    )
    sign_in(page, "mash", password)
    visit(page, f"/linkage/extracts/{extract.pk}/")
    # The page carries on by itself, step after step, until every row is linked.
    page.get_by_role("button", name="Accept and link 4 rows").click()
    expect(
        page.get_by_text("Linked: 1 automatically, 0 for review, 3 not found in the index")
    ).to_be_visible()
    axe_check(page)
    expect(page.get_by_text("4 of 4 rows linked")).to_be_visible()
    extract.refresh_from_db()
    assert extract.status == ExtractStatus.LINKED and extract.processed_rows == 4
    assert (
        AuditEvent.objects.filter(object_id=str(extract.pk), reason="Extract linking continued").count() >= 1
    )


def test_without_scripts_the_button_carries_on_linking(browser, live_server, password, one_row_a_step):
    extract = health_extract(
        one_row_a_step, b"first_name,surname,dob\nAnn,Newperson,2001-01-01\nBen,Otherperson,1999-05-06\n"
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        # No axe here: it needs scripts. The same pages are checked with scripts above.
        page.goto("/sign-in/")
        page.get_by_label("Username", exact=True).fill("mash")
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state()
        page.goto(f"/linkage/extracts/{extract.pk}/")
        page.get_by_role("button", name="Accept and link 2 rows").click()
        page.wait_for_load_state()
        expect(page.get_by_role("status")).to_contain_text("Linking: 1 of 2 rows so far")
        page.get_by_role("button", name="Carry on linking").click()
        page.wait_for_load_state()
        expect(
            page.get_by_text("Linked: 0 automatically, 0 for review, 2 not found in the index")
        ).to_be_visible()
    finally:
        context.close()


def test_when_a_step_fails_the_page_says_so_and_the_button_carries_on(page, password, one_row_a_step):
    extract = health_extract(
        one_row_a_step,
        b"first_name,surname,dob\nAnn,Newperson,2001-01-01\nBen,Otherperson,1999-05-06\n"
        b"Cal,Thirdperson,1985-07-08\n",
    )
    sign_in(page, "mash", password)
    # The script's steps fail (the network drops them): the page says linking paused.
    page.route("**/link/", lambda route: route.abort())
    visit(page, f"/linkage/extracts/{extract.pk}/")
    page.get_by_role("button", name="Accept and link 3 rows").click()
    expect(page.get_by_role("status")).to_contain_text("Linking paused")
    axe_check(page)
    extract.refresh_from_db()
    assert extract.processed_rows == 1
    # The network is back: the button carries on, and the page takes it from there.
    page.unroute("**/link/")
    page.get_by_role("button", name="Carry on linking").click()
    expect(
        page.get_by_text("Linked: 0 automatically, 0 for review, 3 not found in the index")
    ).to_be_visible()
    extract.refresh_from_db()
    assert extract.processed_rows == 3
