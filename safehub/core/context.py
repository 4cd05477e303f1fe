"""Per-request context (request id, user id, channel, method) that logs and audit events read."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("safehub_request_id", default="")
user_id_var: ContextVar[str] = ContextVar("safehub_user_id", default="")
via_var: ContextVar[str] = ContextVar("safehub_via", default="")
# The request's HTTP method: a record loaded for change on a GET is shown on a form, so it is a read.
method_var: ContextVar[str] = ContextVar("safehub_method", default="")
