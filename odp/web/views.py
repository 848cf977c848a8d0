"""Core pages: home, sign in and out, audit log, notifications, static pages and the error pages."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from odp import access
from odp.models import Member
from odp.web import selectors
from odp.web.cards import cards_for
from odp.web.forms import AuditFilterForm, SignInForm

logger = logging.getLogger(__name__)

AUDIT_PAGE_SIZE = 50
NOTIFICATIONS_PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    member = access.member_for(request.user)
    if member is None:
        return render(request, "web/no_member.html")
    return render(request, "web/home.html", {"member": member, "cards": cards_for(member)})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's own rule since 5.0): a link or prefetch must never end someone's session."""


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signed_out.html")


def _member_or_404(request: HttpRequest, action: str | None = None) -> Member:
    """The signed-in member, if they may do ``action``; otherwise the page does not exist for them."""
    member = access.member_for(request.user)
    if member is None or (action is not None and not access.can(member, action)):
        raise Http404
    return member


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _member_or_404(request, "audit.view")
    form = AuditFilterForm(request.GET or None)
    filters = {k: v.strip() for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = Paginator(selectors.audit_events(**filters), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": urlencode(filters), "filtered": bool(filters)}
    return render(request, "web/audit_log.html", context)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    member = _member_or_404(request)
    page = Paginator(selectors.notifications_for(member), NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/notifications.html", {"page": page})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


_BARE_500 = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Sorry, there is a problem with the '
    "service</title></head><body><main><h1>Sorry, there is a problem with the service</h1><p>Try again "
    "later.</p></main></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors (whatever failed may be behind them), in plain HTML as a last resort."""
    try:
        html = loader.get_template("500.html").render({"request": request, "service_name": settings.SERVICE_NAME})
    except Exception:
        logger.exception("The 500 page could not be rendered")
        html = _BARE_500
    return HttpResponseServerError(html)
