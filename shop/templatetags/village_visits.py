"""`{{ visit|village_visit }}`: the partial shop/_visit.html takes a visit as shop.visits reads
it, or a CooperativeVisit row a page read itself (the gift page), and draws both alike."""

from django import template

from shop import visits
from shop.models.gifts import CooperativeVisit

register = template.Library()


@register.filter
def village_visit(value):
    """A `visits.Visit` for the active language; a row that is not published draws nothing."""
    if isinstance(value, CooperativeVisit):
        return visits.present(value) if value.published else None
    return value
