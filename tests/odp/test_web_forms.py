"""The GOV.UK form rendering other features build on: {% govuk_field %}, the error summary, DateField."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.template import Context, Template

from odp.web.fields import DateField


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your pass")
    summary = forms.CharField(label="Summary", widget=forms.Textarea)
    grade = forms.ChoiceField(label="Grade", choices=[("", "Choose"), ("EO", "EO"), ("HEO", "HEO")])
    region = forms.ChoiceField(
        label="Region", choices=[("north", "North"), ("south", "South")], widget=forms.RadioSelect
    )
    skills = forms.MultipleChoiceField(
        label="Skills", choices=[("ai", "AI"), ("data", "Data")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree")
    starts_on = DateField(label="Start date")


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_valid_field_has_label_hint_and_describedby():
    html = render("{% govuk_field form.name %}", form=ExampleForm())

    assert '<label class="govuk-label" for="id_name">Full name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As on your pass</div>' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert "govuk-form-group--error" not in html


def test_heading_option_makes_the_label_the_h1():
    html = render("{% govuk_field form.name heading=True %}", form=ExampleForm())

    assert '<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="id_name">' in html


@pytest.mark.parametrize(
    ("field", "error_class", "anchor"),
    [
        ("name", "govuk-input--error", "id_name"),
        ("summary", "govuk-textarea--error", "id_summary"),
        ("grade", "govuk-select--error", "id_grade"),
        ("region", "govuk-radios", "id_region_0"),
        ("skills", "govuk-checkboxes", "id_skills_0"),
        ("agree", "govuk-checkboxes__input", "id_agree"),
        ("starts_on", "govuk-date-input__input govuk-input--width-2 govuk-input--error", "id_starts_on_day"),
    ],
)
def test_errors_show_by_the_field_and_in_the_summary(field, error_class, anchor):
    form = ExampleForm(data={})

    html = render("{% govuk_error_summary form %}{% govuk_field field %}", form=form, field=form[field])

    assert "govuk-form-group govuk-form-group--error" in html
    assert f'<p id="id_{field}-error" class="govuk-error-message">' in html
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html
    assert re.search(rf'aria-describedby="(id_{field}-hint )?id_{field}-error"', html)
    assert html.count("aria-describedby=") == 1
    assert error_class in html
    assert f'<a href="#{anchor}">This field is required.</a>' in html


def test_choices_keep_what_was_chosen():
    form = ExampleForm(data={"grade": "HEO", "region": "south", "skills": ["data"], "agree": "on"})

    html = render(
        "{% govuk_field form.grade %}{% govuk_field form.region %}{% govuk_field form.skills %}"
        "{% govuk_field form.agree %}",
        form=form,
    )

    assert '<option value="HEO" selected>HEO</option>' in html
    assert 'id="id_region_1" name="region" type="radio" value="south" checked' in html
    assert 'id="id_skills_1" name="skills" type="checkbox" value="data" checked' in html
    assert 'id="id_agree" name="agree" type="checkbox" value="on" checked' in html


def test_values_are_escaped():
    html = render("{% govuk_field form.name %}", form=ExampleForm(data={"name": '"><script>'}))

    assert 'value="&quot;&gt;&lt;script&gt;"' in html


def test_date_field_reads_three_boxes():
    form = ExampleForm(data={"starts_on_day": " 7", "starts_on_month": "03", "starts_on_year": "2026"})
    form.is_valid()

    assert form.cleaned_data["starts_on"] == datetime.date(2026, 3, 7)


def test_empty_date_is_missing_not_invalid():
    form = ExampleForm(data={"starts_on_day": "", "starts_on_month": "", "starts_on_year": ""})

    assert form.errors["starts_on"] == ["This field is required."]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("7", "", "2026", "Start date must include a month"),
        ("", "", "2026", "Start date must include a day and month"),
        ("31", "2", "2026", "Start date must be a real date"),
        ("1", "2", "26", "Start date must be a real date"),
        ("x", "2", "2026", "Start date must be a real date"),
    ],
)
def test_date_field_uses_govuk_messages(day, month, year, message):
    form = ExampleForm(data={"starts_on_day": day, "starts_on_month": month, "starts_on_year": year})

    assert form.errors["starts_on"] == [message]
    html = render("{% govuk_field form.starts_on %}", form=form)
    assert f'name="starts_on_day" type="text" inputmode="numeric" value="{day}"' in html


def test_date_field_shows_an_initial_date():
    form = ExampleForm(initial={"starts_on": datetime.date(2026, 4, 1)})

    html = render("{% govuk_field form.starts_on %}", form=form)

    assert 'id="id_starts_on_month" name="starts_on_month" type="text" inputmode="numeric" value="4"' in html
    assert '<legend class="govuk-fieldset__legend">Start date' in html
