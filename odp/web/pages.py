"""What every feature's pages need: the signed-in member (or 404), bound form data, and a notification banner
for the next page (shown by templates/components/notification_banner.html)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest

from odp import access
from odp.models import Member

# Messages with this tag are shown as a GOV.UK notification banner: first line the heading, the rest detail.
BANNER_TAG = "page-banner"


def member_or_404(request: HttpRequest, action: str | None = None) -> Member:
    """The signed-in, active member (allowed ``action`` if one is named); otherwise the page does not exist."""
    member = access.member_for(request.user)
    if member is None or not member.is_active or (action is not None and not access.can(member, action)):
        raise Http404
    return member


def banner(request: HttpRequest, heading: str, detail: str = "", *, success: bool = True) -> None:
    """Queue a banner for the next page. ``success=False`` gives the neutral "Important" banner, for something
    that did not happen."""
    add = messages.success if success else messages.warning
    add(request, f"{heading}\n{detail}".strip(), extra_tags=BANNER_TAG)


def bound(request: HttpRequest) -> dict[str, Any]:
    """A form's data and files when the page was posted (even empty, so a blank form shows its errors)."""
    return {"data": request.POST, "files": request.FILES} if request.method == "POST" else {}
