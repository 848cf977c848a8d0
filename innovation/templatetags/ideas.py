"""Template filters for the ideas pages.

{% load ideas %}
{{ idea|status_tag }}   (an idea's status as a GOV.UK tag)"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from innovation.models import Idea, IdeaStatus

register = template.Library()

_COLOURS = {
    IdeaStatus.DRAFT: "grey",
    IdeaStatus.NOT_TAKEN_FORWARD: "grey",
    IdeaStatus.MERGED: "grey",
    IdeaStatus.ACCEPTED: "blue",
    IdeaStatus.IN_PROGRESS: "blue",
    IdeaStatus.IMPLEMENTED: "green",
    IdeaStatus.BENEFITS_REALISED: "green",
}


@register.filter
def status_tag(idea: Idea) -> SafeString:
    """A filter rather than an included template: lists print one for each of up to 50 rows."""
    colour = _COLOURS.get(idea.status, "yellow")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, idea.get_status_display())
