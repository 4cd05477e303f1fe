"""Structured JSON logs carrying the request id and user id, never personal data.

Query strings are redacted from every message (a search term is personal data), and only the
opaque ids from the request context are added.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from safehub.core.context import request_id_var, user_id_var

_QUERY = re.compile(r"\?[^\s\"']*")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True


class RedactQueryStringFilter(logging.Filter):
    """Strip query strings from messages and arguments (runserver's request lines include them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg = _QUERY.sub("?[redacted]", message)
            record.args = ()
        return True


class JsonFormatter(logging.Formatter):
    # Attributes a caller may pass with `extra=` that are safe to emit (ids, counts, timings).
    EXTRA_KEYS = ("method", "path", "status", "duration_ms", "job", "count", "event")

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "user_id": getattr(record, "user_id", ""),
        }
        for key in self.EXTRA_KEYS:
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)
