"""What every skills page needs: the signed-in member if the page is for them, and the success banner."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest

from odp import access
from odp.models import Member

# Messages carrying this tag are shown as a GOV.UK success notification banner on the skills pages.
BANNER_TAG = "skills-banner"


def member_or_404(request: HttpRequest, action: str) -> Member:
    """The signed-in member, if they may do ``action``; otherwise the page does not exist for them."""
    member = access.member_for(request.user)
    if member is None or not access.can(member, action):
        raise Http404
    return member


def banner(request: HttpRequest, heading: str, detail: str = "", *, success: bool = True) -> None:
    """Queue a notification banner for the next skills page: a heading and an optional sentence below it.
    ``success=False`` gives the neutral "Important" banner, for something that did not happen."""
    add = messages.success if success else messages.warning
    add(request, f"{heading}\n{detail}".strip(), extra_tags=BANNER_TAG)


def bound(request: HttpRequest) -> dict[str, Any]:
    """A form's data and files when the page was posted (even empty, so a blank form shows its errors)."""
    return {"data": request.POST, "files": request.FILES} if request.method == "POST" else {}
