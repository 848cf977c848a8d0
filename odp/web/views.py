"""Core pages: home, sign in and out, audit log, notifications, static pages and the error pages."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse

from odp import access
from odp.models import Member, User
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
    """Filters by record type and by who made the change. The person is typed into a POSTed form and the
    address names them by user id only: a username or email address in a URL would reach browser history."""
    _member_or_404(request, "audit.view")
    actor = _audit_actor(request.GET.get("actor", ""))
    shown = {"object_type": request.GET.get("object_type", ""), "actor": actor.get_username() if actor else ""}
    form = AuditFilterForm(shown if any(shown.values()) else None)
    object_type = form.cleaned_data["object_type"] if form.is_bound and form.is_valid() else ""
    if request.method == "POST":
        form = AuditFilterForm(request.POST)
        if form.is_valid():
            typed = form.cleaned_data["actor"].strip()
            named = selectors.audit_actor(typed) if typed else None
            if typed and named is None:
                form.add_error("actor", "Enter the username or email address of someone who has used the service")
            else:
                query = {"object_type": form.cleaned_data["object_type"], "actor": named.pk if named else ""}
                query = {k: v for k, v in query.items() if v}
                return redirect(f"{reverse('audit-log')}?{urlencode(query)}" if query else reverse("audit-log"))
    filters = {"object_type": object_type, "actor": actor.pk if actor else ""}
    filters = {k: v for k, v in filters.items() if v}
    events = selectors.audit_events(object_type=object_type, actor_id=actor.pk if actor else None)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": urlencode(filters), "filtered": bool(filters)}
    return render(request, "web/audit_log.html", context)


def _audit_actor(value: str) -> User | None:
    return User.objects.filter(pk=int(value)).first() if value.isdigit() else None


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
