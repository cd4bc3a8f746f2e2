"""Form fields drawn without a template per widget, for the catalogue's filter form.

Django renders each field through four or five small templates (field group, label, widget,
attributes, one per option): for the catalogue's eight filters that was about a quarter of
a rendered page's cost. These tags build the same markup from the widget's own context
(`Widget.get_context`, so attributes, choices and the selected option are Django's), and
hand a field with errors or help text back to Django's templates, which show those.
"""

from html import escape

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_DRAWN = (forms.Select, Input, forms.CheckboxInput)
_NOT_DRAWN = (forms.SelectMultiple, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _e(value) -> str:
    # The standard library's escape, which Django's is built on, without the lazy-string
    # checks each call of Django's makes (hundreds of calls for a list of provinces).
    return escape(str(value), quote=True)


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name.
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {_e(name)}")
        elif value is not False and value is not None:
            parts.append(f' {_e(name)}="{_e(value)}"')
    return "".join(parts)


def _drawable(bound: BoundField) -> bool:
    widget = bound.field.widget
    return (
        isinstance(widget, _DRAWN)
        and not isinstance(widget, _NOT_DRAWN)
        and not bound.errors
        and not bound.help_text
    )


def _styled(bound: BoundField) -> bool:
    form = bound.form
    return bool(
        form.label_suffix
        or getattr(form, "required_css_class", "")
        or getattr(form, "error_css_class", "")
    )


def _widget_context(bound: BoundField) -> dict:
    attrs = bound.build_widget_attrs({})
    if bound.auto_id and "id" not in bound.field.widget.attrs:
        attrs["id"] = bound.auto_id
    return bound.field.widget.get_context(bound.html_name, bound.value(), attrs)["widget"]


def _select(context: dict) -> SafeString:
    options = []
    for group_name, group_choices, _index in context["optgroups"]:
        drawn = "".join(
            f'<option value="{_e(c["value"])}"{_attrs(c["attrs"])}>{_e(c["label"])}</option>'
            for c in group_choices
        )
        options.append(
            f'<optgroup label="{_e(group_name)}">{drawn}</optgroup>' if group_name else drawn
        )
    attrs = _attrs(context["attrs"])
    return mark_safe(f'<select name="{_e(context["name"])}"{attrs}>{"".join(options)}</select>')


def _input(context: dict) -> SafeString:
    value = context["value"]
    value_attr = f' value="{_e(value)}"' if value is not None else ""
    return mark_safe(
        f'<input type="{_e(context["type"])}" name="{_e(context["name"])}"'
        f"{value_attr}{_attrs(context['attrs'])}>"
    )


def _plain_select(bound: BoundField) -> SafeString | None:
    """A single-choice select of flat choices, as Select.get_context would describe it,
    without its per-option dictionaries; None for anything else (option groups)."""
    widget = bound.field.widget
    if widget.allow_multiple_selected:
        return None
    attrs = {**widget.attrs, **bound.build_widget_attrs({})}
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    values = widget.format_value(bound.value())
    options, selected = [], False
    for value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None
        value = "" if value is None else str(value)
        chosen = not selected and value in values
        selected = selected or chosen
        mark = " selected" if chosen else ""
        options.append(f'<option value="{_e(value)}"{mark}>{_e(label)}</option>')
    name = _e(bound.html_name)
    return mark_safe(f'<select name="{name}"{_attrs(attrs)}>{"".join(options)}</select>')


@register.simple_tag
def field_widget(bound: BoundField) -> SafeString:
    """{{ form.q }}, drawn without templates when it can be."""
    if not _drawable(bound):
        return bound.as_widget()
    if isinstance(bound.field.widget, forms.Select):
        plain = _plain_select(bound)
        return plain if plain is not None else _select(_widget_context(bound))
    return _input(_widget_context(bound))


@register.simple_tag
def field_label(bound: BoundField) -> SafeString:
    """{{ form.in_stock.label_tag }} for a form without label suffixes or CSS classes."""
    if not _drawable(bound) or _styled(bound):
        return bound.label_tag()
    return format_html('<label for="{}">{}</label>', bound.id_for_label, bound.label)


@register.simple_tag
def field_group(bound: BoundField) -> SafeString:
    """{{ form.x.as_field_group }}: the label, then the widget."""
    if not _drawable(bound) or _styled(bound):
        return bound.as_field_group()
    return format_html("{}\n{}", field_label(bound), field_widget(bound))
