"""One address per language for the public storefront pages (search engines' hreflang).

The shop has no language prefixes in its paths: LocaleMiddleware picks the language from
the language cookie, then the browser's Accept-Language. A search engine sends neither, so a
page needs an address that always answers in one language: the same path with `?lang=<code>`
(any code of settings.LANGUAGES). Such a request is rendered in that language directly, with
no redirect and no cookie, so the shopper's own choice (the switcher's cookie) is untouched;
the page cache keys on the language anyway (shop.pagecache), and `lang` is one of the
parameters the cached views accept. An unknown code is sent to the address without it.
"""

import functools
from collections.abc import Callable, Iterable
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils import translation

LANGUAGE_PARAM = "lang"

View = Callable[..., HttpResponse]


def language_codes() -> list[str]:
    """The shop's languages, in settings.LANGUAGES order."""
    return [code for code, _name in settings.LANGUAGES]


def language_url(path: str, params: Iterable[tuple[str, str]], language: str) -> str:
    """`path` with `params` (in the order given) and `lang=<language>` last: the address that
    shows this page in `language`. Pure."""
    query = urlencode([*params, (LANGUAGE_PARAM, language)])
    return f"{path}?{query}"


def without_language(url: str) -> str:
    """`url` without its `lang` parameter (the switcher's way back to a page, so the choice
    it just stored is not overridden by the address). Pure."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = QueryDict(parts.query, mutable=True)
    if LANGUAGE_PARAM not in query:
        return url
    del query[LANGUAGE_PARAM]
    return urlunsplit(parts._replace(query=query.urlencode(safe="/")))


def language_from_query(view: View) -> View:
    """A view decorator, outside shop.pagecache.cached: `?lang=<code>` renders the page in
    that language (activated for the rest of the request, as LocaleMiddleware does, so the
    response's Content-Language agrees). An unknown or empty code answers 302 to the same
    address without `lang`."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if LANGUAGE_PARAM not in request.GET:
            return view(request, *args, **kwargs)
        code = request.GET[LANGUAGE_PARAM]
        if code not in language_codes():
            return HttpResponseRedirect(without_language(request.get_full_path()))
        translation.activate(code)
        request.LANGUAGE_CODE = code
        return view(request, *args, **kwargs)

    return wrapped
