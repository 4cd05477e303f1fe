"""WSGI entry point. Refuses to start when the fail-closed system checks report errors."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
application = get_wsgi_application()

from django.core.checks import run_checks  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

_errors = [e for e in run_checks(include_deployment_checks=True, tags=["safehub"]) if e.is_serious()]
if _errors:
    raise ImproperlyConfigured("Safehub refuses to start: " + "; ".join(f"{e.id} {e.msg}" for e in _errors))
