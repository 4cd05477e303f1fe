"""Sign-in, sign-out and failed sign-in go to the audit trail (decoupled side effects)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from safehub.core import audit
from safehub.core.models import AuditAction


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit.record(user, AuditAction.SIGN_IN, user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, AuditAction.SIGN_OUT, user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is not stored: it may be a mistyped password.
    audit.record("anonymous", AuditAction.SIGN_IN_FAILED)
