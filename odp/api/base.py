"""Base classes for every API view. Build views on these, not on DRF's classes directly.

They make whoever DRF authenticated (session or token) the audit actor for the rest of the request, and
give views ``self.member``. ``odp.audit.AuditActorMiddleware`` cannot do this for token requests: it runs
before DRF authenticates, when the user is still anonymous."""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.views import APIView

from odp import audit
from odp.access import member_for
from odp.api.serializers import unstorable
from odp.models import Member, User


def _actor(request: Request) -> User | None:
    user = request.user
    if user is None or not user.is_authenticated:
        return None
    # A session user arrives wrapped in Django's SimpleLazyObject; the trail wants the model instance.
    return getattr(user, "_wrapped", user)


class AuditActorMixin(APIView):
    """Record audited changes made while serving this request against the authenticated user."""

    _audit_scope: contextlib.ExitStack

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with contextlib.ExitStack() as scope:
            self._audit_scope = scope
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # After sign-in and permission checks, so those still answer first. A URL value the database cannot
        # compare (/case-studies/%00/) names no record: 404, not a database error (found by the fuzzing).
        if any(unstorable(value) for value in kwargs.values()):
            raise NotFound()

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        # Entered here, left when dispatch returns: covers permission checks, the handler and error handling.
        self._audit_scope.enter_context(audit.acting_as(_actor(request)))

    @cached_property
    def member(self) -> Member | None:
        """The authenticated user's member record (permission classes have already required one)."""
        return member_for(self.request.user)


class ApiView(AuditActorMixin, APIView):
    """A single-purpose endpoint."""


class ReadOnlyApiViewSet(AuditActorMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve, starting from a ``visible_to`` queryset so out-of-scope objects are 404."""


class ApiViewSet(AuditActorMixin, viewsets.ModelViewSet):
    """Full create/read/update/delete; writes go through the app's services."""
