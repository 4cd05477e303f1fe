"""The API reference page: the OpenAPI schema rendered as a GOV.UK page (no CDN, passes axe)."""

from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from safehub.api import presenters


@lru_cache(maxsize=1)
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@login_required
def api_docs(request):
    return render(request, "api/docs.html", {"operations": presenters.operations(_schema())})
