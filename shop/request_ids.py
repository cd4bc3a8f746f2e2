"""A request id on every log line of a request, and on the response as `X-Request-ID`.

The proxy's id is kept when it sends a sane one (so its access log and ours can be joined);
otherwise a new one is made. The id lives in a context variable, which also keeps it apart
between threads and between requests served by one worker. The production log formatter
(shop.settings.production) prints it as `request_id`.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(HEADER, "")
        request_id = sent if _SANE.fullmatch(sent) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request: tasks, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
