"""The filter form's fields drawn without templates match Django's own rendering."""

import re

import pytest
from django.utils import translation

from shop.forms import CatalogueFilterForm
from shop.templatetags import form_fields

PROVINCES = [("an-giang", "An Giang"), ("ha-noi", "Hà Nội"), ("hue", 'Huế "cố đô" & <x>')]
FIELDS = ("group", "province", "stars", "price_min", "price_max", "sort")


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": 'trà "shan" <b>', "group": "food", "province": "hue", "stars": "4"},
        {"price_min": "2.5", "price_max": "10", "in_stock": "on", "sort": "-price"},
    ],
)
def test_each_field_is_drawn_as_django_draws_it(data, language):
    # given a bound filter form (with a value needing escapes)
    with translation.override(language):
        form = CatalogueFilterForm(data, provinces=PROVINCES)
        assert form.is_valid()
        # when each field is drawn by the tags and by Django
        # then the markup is the same, but for whitespace between tags
        for name in FIELDS:
            assert squeeze(form_fields.field_group(form[name])) == squeeze(
                form[name].as_field_group()
            )
        for name in ("q", "in_stock"):
            assert squeeze(form_fields.field_widget(form[name])) == squeeze(form[name])
        assert squeeze(form_fields.field_label(form["in_stock"])) == squeeze(
            form["in_stock"].label_tag()
        )


def test_a_field_with_an_error_is_left_to_django_which_shows_the_error():
    # given a price below zero
    form = CatalogueFilterForm({"price_min": "-1"}, provinces=PROVINCES)
    assert not form.is_valid()
    # when the field is drawn
    html = str(form_fields.field_group(form["price_min"]))
    # then it is Django's markup, error and aria attributes included
    assert html == str(form["price_min"].as_field_group())
    assert 'aria-invalid="true"' in html
    assert 'class="errorlist"' in html
