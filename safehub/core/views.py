"""Core pages: sign-in and second factor, home, health, clocks, the auditor's pages."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.core import audit, presenters, selectors
from safehub.core.forms import AuditSearchForm, BreakGlassReviewForm, SignInForm, TokenForm
from safehub.core.models import AuditAction
from safehub.core.roles import Role
from safehub.core.services import break_glass_review


class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def healthz(request):
    return JsonResponse({"status": "alive"})


def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"status": "unavailable", "database": "not answering"}, status=503)
    return JsonResponse({"status": "ready", "database": "ok"})


@login_required
def home(request):
    return render(request, "core/home.html", presenters.home_context(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Verify a TOTP code; a user with no confirmed device enrols one first."""
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=None).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(request.GET.get("next") or "core:home")
        form.add_error("token", "The code is not right: enter the current code from your authenticator app")
    qr_svg = None if device.confirmed else _qr_svg(device.config_url)
    return render(
        request,
        "registration/two_factor.html",
        {"form": form, "enrolling": not device.confirmed, "qr_svg": qr_svg, "secret": _base32(device)},
    )


def _qr_svg(url: str) -> str:
    stream = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).save(stream)
    return stream.getvalue().decode()


def _base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode() if not device.confirmed else ""


@login_required
def clock_list(request):
    return render(request, "core/clocks.html", {"clocks": presenters.clock_rows()})


def _require_auditor(user) -> None:
    if not user.has_role(Role.AUDITOR):
        raise PermissionDenied("Only auditors can see the audit trail")


@login_required
def audit_search(request):
    _require_auditor(request.user)
    form = AuditSearchForm(request.GET or None)
    events = selectors.audit_event_search(form.cleaned_data if form.is_valid() else {})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit.record(request.user, AuditAction.SEARCH, object_type="core.auditevent")
    return render(request, "core/audit_search.html", {"form": form, "page": page})


@login_required
def break_glass_reviews(request):
    _require_auditor(request.user)
    pending = request.GET.get("show") != "all"
    page = Paginator(selectors.break_glass_queue(pending_only=pending), 50).get_page(request.GET.get("page"))
    return render(request, "core/break_glass_reviews.html", {"page": page, "pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review_view(request, grant_id):
    _require_auditor(request.user)
    grant = presenters.break_glass_grant(grant_id)
    form = BreakGlassReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        presenters.apply_form_errors(
            form, lambda: break_glass_review(actor=request.user, grant=grant, **form.cleaned_data)
        )
        if form.is_valid():
            messages.success(request, "Review recorded")
            return redirect("core:break_glass_reviews")
    return render(request, "core/break_glass_review.html", {"form": form, "grant": grant})


def error_403(request, exception=None):
    return HttpResponse(render_to_string("403.html", request=request), status=403)


def error_404(request, exception=None):
    return HttpResponse(render_to_string("404.html", request=request), status=404)


def csrf_failure(request, reason=""):
    """GOV.UK page for a failed CSRF check (Django's own page uses inline styles our CSP blocks)."""
    context = {
        "message": "The form had expired or was sent from another site. "
        "Go back, reload the page and try again."
    }
    return HttpResponse(render_to_string("403.html", context, request=request), status=403)


def error_500(request):
    """The 500 page; a 503 when the database is what failed, wherever in the request it failed."""
    import sys

    from safehub.core.middleware import database_unavailable_response

    unavailable = database_unavailable_response(request, sys.exc_info()[1])
    return unavailable or HttpResponse(render_to_string("500.html"), status=500)
