"""Per-request context (request id, user id, channel) that logs and audit events read."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("safehub_request_id", default="")
user_id_var: ContextVar[str] = ContextVar("safehub_user_id", default="")
via_var: ContextVar[str] = ContextVar("safehub_via", default="")
