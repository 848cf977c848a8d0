"""Render Django form fields and errors as GOV.UK Frontend components.

    {% load govuk %}
    {% govuk_error_summary form %}
    {% govuk_field form.email label_class="govuk-label--m" hint="We will only use this to reply" %}
    {% govuk_field form.title heading=True %}   (label as the page's h1, for one-question pages)

The template is chosen by widget: text-like inputs, password, textarea, select, radios, checkboxes, a single
checkbox and the three-box date input (``odp.web.fields.DateField``)."""

from __future__ import annotations

import html
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from odp.web.fields import DATE_PARTS, DateInputWidget

register = template.Library()

_TEMPLATES: dict[type[forms.Widget], str] = {
    DateInputWidget: "date",
    forms.CheckboxSelectMultiple: "checkboxes",
    forms.RadioSelect: "radios",
    forms.CheckboxInput: "checkbox",
    forms.Select: "select",
    forms.Textarea: "textarea",
    forms.PasswordInput: "password",
    forms.widgets.Input: "input",
}
# Fieldsets: the label is a legend and an error links to the first box or option.
_GROUPED = {"date", "checkboxes", "radios"}
# GOV.UK asks services not to use browser validation, so ``required`` is dropped; the templates set the rest.
_DROPPED_ATTRS = {"required", "class", "id", "type", "aria-describedby"}


def _kind(field: BoundField) -> str:
    for cls in type(field.field.widget).__mro__:
        if cls in _TEMPLATES:
            return _TEMPLATES[cls]
    raise TypeError(f"No GOV.UK template for widget {type(field.field.widget).__name__}")


def _first_input_id(field: BoundField) -> str:
    """Where the error summary sends the user: the first box of a date, the first option of a choice."""
    kind = _kind(field)
    if kind == "date":
        return f"{field.auto_id}_{DATE_PARTS[0]}"
    if kind in _GROUPED:
        return f"{field.auto_id}_0"
    return field.auto_id


def _attrs(field: BoundField) -> SafeString:
    attrs = field.build_widget_attrs(dict(field.field.widget.attrs))
    return flatatt({name: value for name, value in attrs.items() if name not in _DROPPED_ATTRS})


def _options(field: BoundField) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{field.auto_id}_{index}",
            "value": "" if option.data["value"] is None else str(option.data["value"]),
            "label": option.data["label"],
            "selected": option.data["selected"],
        }
        for index, option in enumerate(field.subwidgets)
    ]


def _escape(value: Any) -> str:
    """What the template's autoescaping does to a value (django.utils.html.conditional_escape), without its
    lazy-string wrapper, which costs more than the escaping itself."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _select_options(field: BoundField) -> SafeString:
    """A select's options, joined here rather than looped over in the template: the organisation filter has 48
    and a template loop spent about 8 us an option."""
    options = []
    for o in _options(field):
        selected = " selected" if o["selected"] else ""
        options.append(f'<option value="{_escape(o["value"])}"{selected}>{_escape(o["label"])}</option>\n    ')
    return mark_safe("".join(options))  # noqa: S308 (every value and label is escaped)


def _date_parts(field: BoundField) -> list[dict[str, Any]]:
    value = field.value()
    values = value if isinstance(value, list | tuple) else field.field.widget.decompress(value)
    widths = {"day": 2, "month": 2, "year": 4}
    return [
        {
            "id": f"{field.auto_id}_{part}",
            "name": f"{field.html_name}_{part}",
            "label": part.capitalize(),
            "value": "" if values[i] is None else values[i],
            "width": widths[part],
        }
        for i, part in enumerate(DATE_PARTS)
    ]


@register.simple_tag
def govuk_field(
    field: BoundField,
    *,
    label: str | None = None,
    label_class: str = "",
    heading: bool = False,
    hint: str | None = None,
    classes: str = "",
    **extra: Any,
) -> SafeString:
    """One form field with its label, hint and error message, GOV.UK style.

    ``heading`` puts the label (or legend) in the page's h1; ``classes`` go on the input (for example
    ``govuk-input--width-10``); ``extra`` is passed to the component template (``rows``, ``type``, ...)."""
    kind = _kind(field)
    size_class = label_class or ("govuk-label--l" if heading else "")
    hint_text = field.help_text if hint is None else hint
    hint_id = f"{field.auto_id}-hint" if hint_text else ""
    error_id = f"{field.auto_id}-error" if field.errors else ""
    widget = field.field.widget
    context = {
        "field": field,
        "id": field.auto_id,
        "name": field.html_name,
        "label": field.label if label is None else label,
        "label_class": size_class,
        "legend_class": size_class.replace("govuk-label--", "govuk-fieldset__legend--"),
        "heading": heading,
        "hint": hint_text,
        "hint_id": hint_id,
        "errors": field.errors,
        "error_id": error_id,
        "describedby": " ".join(i for i in (hint_id, error_id) if i),
        "classes": classes,
        "attrs": _attrs(field),
        "input_type": getattr(widget, "input_type", "text"),
        **extra,
    }
    if kind in {"input", "password", "textarea"}:
        value = widget.format_value(field.value())
        context["value"] = "" if value is None else value
    elif kind in {"radios", "checkboxes"}:
        context["options"] = _options(field)
    elif kind == "select":
        context["options"] = _select_options(field)
    elif kind == "checkbox":
        context["checked"] = widget.check_test(field.value())
    elif kind == "date":
        context["parts"] = _date_parts(field)
    return render_to_string(f"components/fields/{kind}.html", context)


@register.inclusion_tag("components/error_summary.html")
def govuk_error_summary(*forms_: forms.BaseForm) -> dict[str, Any]:
    """The "There is a problem" box: every error on the page, each linking to its field."""
    errors: list[dict[str, str]] = []
    for form in forms_:
        if not form.is_bound or not form.errors:
            continue
        fields = list(form)
        first_id = _first_input_id(fields[0]) if fields else ""
        errors += [{"href": f"#{first_id}", "text": e} for e in form.non_field_errors()]
        for bound in fields:
            errors += [{"href": f"#{_first_input_id(bound)}", "text": e} for e in bound.errors]
    return {"errors": errors}
