"""The OpenAPI schema generates and validates with no warnings (CI's check --deploy fails on them)."""

import re

from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/people/", "/api/v1/contacts/", "/api/v1/assessments/", "/api/v1/notifications/"):
        assert path in text


def _view_for(path: str):
    from django.urls import Resolver404, resolve

    for value in ("00000000-0000-0000-0000-000000000000", "1"):
        try:
            return resolve(re.sub(r"{\w+}", value, path)).func.view_class
        except Resolver404:
            continue
    raise AssertionError(f"no view answers {path}")


def test_paginated_lists_document_their_page_not_an_array(db):
    """A list endpoint that answers a page (`paginate_listed`) says so: `paginated(RowOutput)`."""
    import inspect

    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    wrong, pages = [], 0
    for path, operations in schema["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        body = answer.get("content", {}).get("application/json", {}).get("schema", {})
        view = _view_for(path)
        source = inspect.getsource(view.get) if hasattr(view, "get") else ""
        paginates = any(call in source for call in ("paginate_listed", "get_paginated_response", "_page("))
        pages += body.get("$ref", "").startswith("#/components/schemas/Paginated")
        if paginates and body.get("type") == "array":
            wrong.append(path)
    assert not wrong, f"documented as arrays but answer a page: {wrong}"
    assert pages >= 25
    page = schema["components"]["schemas"]["PaginatedPersonSummaryOutputList"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["next"]["nullable"] is True


def test_api_reference_lists_every_operation(client, owner):
    client.force_login(owner)
    body = client.get("/api/v1/docs/").content.decode()
    for heading in ("GET /api/v1/people/", "POST /api/v1/contacts/", "POST /api/v1/assessments/"):
        assert heading in body
