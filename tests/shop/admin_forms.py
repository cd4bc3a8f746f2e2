"""What a browser would post back from an admin change page, for tests that tamper with it."""

from django.db.models import Model


def change_form_data(response) -> dict:
    """The data of an admin change form and its inline formsets, as rendered."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or value == "":
                continue
            if value is True:
                value = "on"
            elif isinstance(value, Model):
                value = value.pk
            data[form.add_prefix(name)] = value
    return data
