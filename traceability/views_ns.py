"""The `ocop:` namespace document (/ns/trace) and the standards our EPCIS export names.

Both answer a person with a page and a machine (Accept: application/ld+json or
application/json) with JSON-LD. They hold nothing per visitor.
"""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from traceability import epcis, namespace

HTML = "text/html"
JSONLD = "application/ld+json"
JSON = "application/json"
MAX_AGE = 60 * 60


def _answer(request: HttpRequest, data: dict, template: str, context: dict) -> HttpResponse:
    wanted = request.get_preferred_type([HTML, JSONLD, JSON])
    if wanted in (JSONLD, JSON):
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type=wanted)
    else:
        response = render(request, template, context | {"messages": ()})
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def vocabulary(request: HttpRequest) -> HttpResponse:
    context = {"terms": namespace.rows(), "iri": namespace.namespace_iri()}
    return _answer(request, namespace.jsonld(), "traceability/namespace.html", context)


@require_safe
def standard(request: HttpRequest, name: str) -> HttpResponse:
    if not namespace.standard_is_named(name=name):
        raise Http404
    uri = epcis.standard_uri(name)
    data = namespace.standard_jsonld(name=name, uri=uri)
    context = {"name": name, "uri": uri}
    return _answer(request, data, "traceability/standard.html", context)
