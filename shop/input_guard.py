"""A NUL byte in a URL's captured parameters is refused before the view reads it.

PostgreSQL refuses NUL in text, so a view that looks a `<str:…>` parameter up in a text
column (`/coop/orders/%00/`, `/pay/dummy/%00/`) would fail inside the database with a 500.
Form fields refuse NUL themselves (Django's ProhibitNullCharactersValidator on every
CharField), with their own message, so the query string and the body are left to them.
"""

from django.core.exceptions import BadRequest


def checks_own_path(view):
    """Mark a view that validates its path itself and answers in its own way (the Digital
    Link resolver: a 400 with CORS headers)."""
    view.checks_own_path = True
    return view


class RejectNulMiddleware:
    """A NUL byte in any captured URL parameter answers the friendly 400 page (handler400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "checks_own_path", False):
            return None
        values = [*view_args, *view_kwargs.values()]
        if any(isinstance(value, str) and "\x00" in value for value in values):
            raise BadRequest("NUL byte in the request's path.")
        return None
