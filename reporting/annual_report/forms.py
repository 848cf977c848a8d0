from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from innovation.models import CaseStudy, CaseStudyAudience
from odp.web.fields import DateField, ModelMultipleChoiceField


class StartReportForm(forms.Form):
    year = forms.IntegerField(
        label="Reporting year", min_value=2000, max_value=2100, error_messages={"required": "Enter the reporting year"}
    )


class SectionForm(forms.Form):
    title = forms.CharField(label="Heading", max_length=200, error_messages={"required": "Enter the heading"})
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Markdown. Insert figures with {{ figure:key }}, KPIs with {{ kpi:id }} and charts with {{ chart:name }}."
        ),
    )
    case_studies = ModelMultipleChoiceField(
        label="Case studies to feature",
        required=False,
        queryset=CaseStudy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, with_case_studies: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_case_studies:
            self.fields["case_studies"].queryset = CaseStudy.objects.filter(
                status=CaseStudy.Status.PUBLISHED, is_hidden=False, audience=CaseStudyAudience.PUBLIC
            ).order_by("title")
        else:
            del self.fields["case_studies"]


class ApproveForm(forms.Form):
    when = forms.ChoiceField(
        label="When should it be published?",
        choices=[("now", "Publish now"), ("later", "At a set date and time")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select when to publish"},
    )
    publish_on = DateField(label="Publication date", required=False, help_text="For example, 31 3 2027")
    publish_time = forms.TimeField(
        label="Time",
        required=False,
        help_text="24-hour clock, for example 09:30",
        error_messages={"invalid": "Enter the time as hours and minutes, for example 09:30"},
    )

    def publish_at(self) -> datetime.datetime | None:
        if self.cleaned_data["when"] == "now":
            return None
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["publish_on"], self.cleaned_data["publish_time"])
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("when") == "later":
            if not data.get("publish_on"):
                self.add_error("publish_on", "Enter the date to publish")
            if not data.get("publish_time"):
                self.add_error("publish_time", "Enter the time to publish")
            if data.get("publish_on") and data.get("publish_time") and self.publish_at() <= timezone.now():
                self.add_error("publish_on", "The publication date and time must be in the future")
        return data


class CorrectionForm(forms.Form):
    change_note = forms.CharField(
        label="What changed and why",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This is shown publicly with the new version.",
        error_messages={"required": "Enter what changed and why"},
    )
