"""An administrator changes the partnership's MASH red timescale; the clocks page shows it."""

from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from tests.system.conftest import axe_check, sign_in, visit


def test_admin_sets_a_partnership_clock(page, agencies, password):
    group = Group.objects.create(name="Reference data admins")
    group.permissions.set(Permission.objects.filter(content_type__app_label="core"))
    admin_user = UserFactory(
        username="refadmin", agency=agencies["police"], roles=[Role.ADMIN], is_staff=True
    )
    admin_user.groups.add(group)
    from safehub.core.models import Force

    force = Force.objects.get(code="west-yorkshire")
    sign_in(page, "refadmin", password)
    visit(page, "/admin/")
    expect(page.get_by_role("link", name="People")).to_have_count(0)
    visit(page, "/admin/core/clockoverride/add/")
    page.get_by_label("Force").select_option(label=force.name)
    page.get_by_label("Clock id").fill("mash-redd")
    page.get_by_label("Amount").fill("2")
    page.get_by_label("Source").fill("Leeds MASH operating protocol 2026")
    page.get_by_label("Effective from").fill("2026-01-01")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("Unknown clock 'mash-redd'")
    page.get_by_label("Clock id").fill("mash-red")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    axe_check(page)
    visit(page, "/clocks/")
    expect(page.locator("table")).to_contain_text("2 working hours")
    expect(page.locator("table")).to_contain_text("Leeds MASH operating protocol 2026")


def test_api_docs_render_without_script_or_csp_problems(page, analyst, password):
    sign_in(page, analyst.username, password)
    visit(page, "/api/v1/docs/")
    expect(page.get_by_role("heading", name="GET /api/v1/people/{person_id}/", exact=True)).to_be_visible()
