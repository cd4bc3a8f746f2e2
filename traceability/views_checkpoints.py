"""The public checkpoint log: the signing key, the signed checkpoints, a batch's latest one.

Anyone may read it (CORS open) and check a trace record against it without the shop's help
(docs/trace-verification.md, traceability/verifier.py).
"""

import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop.identifiers import parse_count, parse_id
from traceability import checkpoints

PAGE_SIZE = 100
MAX_SEQUENCE = 2**31


def _answer(data: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/json", status=status
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=10"
    return response


@require_http_methods(["GET", "HEAD"])
def checkpoint_log(request: HttpRequest) -> HttpResponse:
    """`?after=<sequence>` pages through the log; `?batch=<id>` answers that batch's latest
    signed checkpoint (404 when none names it)."""
    answer = checkpoints.public_key()
    if "batch" in request.GET:
        batch_id = parse_id(request.GET["batch"])
        if batch_id is None:
            return _answer({"error": _("The batch must be a positive whole number.")}, 400)
        head = checkpoints.latest_head(batch_id=batch_id)
        if head is None:
            return _answer({"error": _("No signed checkpoint names this batch.")}, 404)
        answer["batch"] = batch_id
        answer["checkpoint"] = checkpoints.published(head.checkpoint)
        return _answer(answer)
    after = parse_count(request.GET.get("after", "0"), maximum=MAX_SEQUENCE)
    if after is None:
        return _answer({"error": _("`after` must be a checkpoint sequence number.")}, 400)
    rows, more = checkpoints.log_page(after=after, limit=PAGE_SIZE)
    answer["checkpoints"] = [checkpoints.published(row) for row in rows]
    answer["next"] = (
        f"{reverse('traceability:checkpoints')}?{urlencode({'after': rows[-1].sequence})}"
        if more
        else None
    )
    return _answer(answer)
