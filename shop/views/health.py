"""Probes for the compose health checks and a load balancer.

/healthz: the process answers (no database, no cache; a liveness probe must not fail because
a service it does not own is down, or every replica would be restarted at once).
/readyz: the database, Redis and the Celery broker answer (shop.readiness); 503 naming the
one that did not, never its URL or error.

Both are GET-only, never cached (no page cache, `Cache-Control: no-store`), touch no session
and set no cookie; they change nothing, so CSRF does not apply.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from shop import readiness


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness.check_all()
    ready = readiness.is_ready(checks)
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
