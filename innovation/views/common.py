"""What every ideas page needs: the signed-in member, a banner for the next page, and bound form data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest

from odp import access
from odp.models import Member

BANNER_TAG = "ideas-banner"


def member_or_404(request: HttpRequest, action: str | None = None) -> Member:
    """The signed-in, active member (allowed ``action`` if one is named); otherwise the page does not exist."""
    member = access.member_for(request.user)
    if member is None or not member.is_active or (action is not None and not access.can(member, action)):
        raise Http404
    return member


def banner(request: HttpRequest, heading: str, detail: str = "") -> None:
    messages.success(request, f"{heading}\n{detail}".strip(), extra_tags=BANNER_TAG)


def bound(request: HttpRequest) -> dict[str, Any]:
    return {"data": request.POST} if request.method == "POST" else {}
