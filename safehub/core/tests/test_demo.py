"""The `demo` command: organisations and logins, idempotence, the demo password, the refusal."""

from __future__ import annotations

import io
import re
import stat

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory, override_settings

from safehub.core import demo as core_demo
from safehub.core.management.commands.demo import ProgressPrinter, demo_loaders
from safehub.core.models import Agency, AgencyKind, District, Force, User
from safehub.core.roles import Role

pytestmark = pytest.mark.django_db

EXPECTED_USERS = {
    # username: (role, agency name, district code or None)
    "callhandler": (Role.CALL_HANDLER, "West Yorkshire Police", "leeds"),
    "officer": (Role.OFFICER, "West Yorkshire Police", "leeds"),
    "mash": (Role.MASH_PRACTITIONER, "Leeds Children's Social Care", "leeds"),
    "mashmanager": (Role.MASH_MANAGER, "Leeds Children's Social Care", "leeds"),
    "idva": (Role.IDVA, "West Yorkshire IDVA Service", "leeds"),
    "missing": (Role.MISSING_COORDINATOR, "West Yorkshire Police", "leeds"),
    "socialcare": (Role.PARTNER_PRACTITIONER, "Leeds Children's Social Care", "leeds"),
    "school": (Role.PARTNER_PRACTITIONER, "Aire Valley Primary School", "leeds"),
    "health": (Role.PARTNER_PRACTITIONER, "West Yorkshire Integrated Care Board", "leeds"),
    "partnership": (Role.PARTNERSHIP_MANAGER, "Leeds Children's Social Care", "leeds"),
    "analyst": (Role.ANALYST, "West Yorkshire Police", "leeds"),
    "commissioner": (Role.COMMISSIONER, "Office of the Mayor of West Yorkshire", None),
    "auditor": (Role.AUDITOR, "West Yorkshire Police", None),
    "records": (Role.RECORDS_MANAGER, "West Yorkshire Police", None),
    "admin": (Role.ADMIN, "West Yorkshire Police", None),
    "outsider": (Role.PARTNER_PRACTITIONER, "Bradford Children's Social Care", "bradford"),
}


@pytest.fixture
def var_dir(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    return tmp_path


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    match = re.search(r"^Password for every demo login: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def signs_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/sign-in/")
    return authenticate(request=request, username=username, password=password) is not None


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_demo_creates_the_force_districts_and_agencies(var_dir):
    run_demo()

    force = Force.objects.get(code="west-yorkshire")
    assert force.name == "West Yorkshire"
    assert dict(District.objects.values_list("code", "ons_code")) == {
        "bradford": "E08000032",
        "calderdale": "E08000033",
        "kirklees": "E08000034",
        "leeds": "E08000035",
        "wakefield": "E08000036",
    }
    assert set(District.objects.values_list("force__code", flat=True)) == {"west-yorkshire"}
    police = Agency.objects.get(name="West Yorkshire Police")
    assert police.kind == AgencyKind.POLICE
    assert police.districts.count() == 5
    leeds_csc = Agency.objects.get(name="Leeds Children's Social Care")
    assert list(leeds_csc.districts.values_list("code", flat=True)) == ["leeds"]
    for district in ("Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"):
        adult_care = Agency.objects.get(name=f"{district} Adult Social Care")
        assert adult_care.kind == AgencyKind.ADULT_SOCIAL_CARE
        assert Agency.objects.filter(kind=AgencyKind.SCHOOL, districts__name=district).count() == 3
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    for contact in Agency.objects.values_list("safeguarding_contact", flat=True):
        assert re.search(r"(0113 496 0\d{3}|01632 960\d{3})$", contact), contact


def test_demo_creates_the_sixteen_logins_with_their_roles_agencies_and_districts(var_dir):
    output = run_demo()

    users = {user.username: user for user in User.objects.select_related("agency", "district")}
    assert set(users) == set(EXPECTED_USERS)
    for username, (role, agency, district) in EXPECTED_USERS.items():
        user = users[username]
        assert user.role_codes == {role}, username
        assert user.agency.name == agency, username
        assert (user.district.code if user.district else None) == district, username
        assert not user.is_superuser
        assert user.is_staff == (username == "admin"), username
        line = rf"^{username}\s+{re.escape(role.label)}\s+{re.escape(agency)}"
        assert re.search(line, output, re.MULTILINE), username
    assert users["mash"].team.name == "Leeds MASH"
    assert users["school"].job_title == "Designated safeguarding lead"
    assert "http://127.0.0.1:8000/" in output


def test_admin_can_manage_reference_data_but_others_cannot(var_dir):
    run_demo()

    admin = User.objects.get(username="admin")
    assert admin.groups.filter(name="Reference data admins").exists()
    for model in core_demo.ADMIN_MODELS:
        assert admin.has_perm(f"core.change_{model}"), model
    assert not admin.has_perm("people.view_person")
    assert not User.objects.get(username="officer").has_perm("core.change_agency")


def test_second_run_adds_nothing(var_dir):
    first = run_demo()
    before = row_counts()

    second = run_demo()

    assert row_counts() == before
    assert before["core.User"] == 16
    assert before["core.AuditEvent"] > 0
    assert "already loaded, nothing added" in second
    assert printed_password(second) == printed_password(first)


def test_demo_user_signs_in_with_the_printed_and_stored_password(var_dir):
    output = run_demo()

    password = printed_password(output)
    stored = (var_dir / "demo-password.txt").read_text().strip()
    assert stored == password
    assert stat.S_IMODE((var_dir / "demo-password.txt").stat().st_mode) == 0o600
    assert signs_in("mash", password)
    assert signs_in("outsider", password)
    assert not signs_in("mash", password + "x")


def test_demo_user_signs_in_through_the_sign_in_page(var_dir, client):
    password = printed_password(run_demo())

    response = client.post("/sign-in/", {"username": "socialcare", "password": password})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(username="socialcare").pk)


def test_password_from_the_environment_resets_existing_demo_users(var_dir, monkeypatch):
    first = printed_password(run_demo())
    monkeypatch.setenv("SAFEHUB_DEMO_PASSWORD", "a-chosen-demo-password")

    output = run_demo()

    assert printed_password(output) == "a-chosen-demo-password"
    assert signs_in("officer", "a-chosen-demo-password")
    assert not signs_in("officer", first)


@override_settings(DEMO_LOGINS_ENABLED=False)
def test_demo_refuses_when_demo_logins_are_disabled(var_dir):
    with pytest.raises(CommandError, match="Demo logins are disabled"):
        run_demo()

    assert not Force.objects.exists()
    assert not User.objects.exists()
    assert not (var_dir / "demo-password.txt").exists()


def test_loaders_are_found_in_installed_apps_order():
    labels = [label for label, _ in demo_loaders()]

    assert labels[:2] == ["core", "people"]


def test_progress_prints_about_every_ten_percent():
    lines: list[str] = []
    progress = ProgressPrinter(lines.append)

    for done in range(1, 1001):
        progress("people", done, 1000)

    assert len(lines) == 10
    assert lines[0] == "  people: 100/1000"
    assert lines[-1] == "  people: 1000/1000"
