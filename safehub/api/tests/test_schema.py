"""The OpenAPI schema generates and validates with no warnings (CI's check --deploy fails on them)."""

from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/people/", "/api/v1/contacts/", "/api/v1/assessments/", "/api/v1/notifications/"):
        assert path in text


def test_api_reference_lists_every_operation(client, owner):
    client.force_login(owner)
    body = client.get("/api/v1/docs/").content.decode()
    for heading in ("GET /api/v1/people/", "POST /api/v1/contacts/", "POST /api/v1/assessments/"):
        assert heading in body
