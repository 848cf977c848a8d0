"""Template filters for the ideas pages.

{% load ideas %}
{{ idea|status_tag }}   (an idea's status as a GOV.UK tag)"""

from __future__ import annotations

import functools

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
    return status_tag_html(idea.status)


@functools.lru_cache(maxsize=64)
def status_tag_html(status: str) -> SafeString:
    """The tag for a status: the same few strings for the life of the process, so built once each."""
    label = dict(IdeaStatus.choices).get(status, status)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', _COLOURS.get(status, "yellow"), label)
