"""Token and session authentication, the policy() permission, and the audit actor of API writes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import include, path
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from odp import audit
from odp.api.base import ApiView
from odp.api.permissions import HasPolicy, IsMember, policy
from odp.models import AuditEvent, Region
from tests.factories import UserFactory


def _move_to_london(request: Request) -> Response:
    member = request.user.member
    member.region = Region.LONDON
    member.save()
    return Response({"actor": getattr(audit.current_actor(), "pk", None)})


class _MoveView(ApiView):
    """A test-only write endpoint built on the API base class."""

    permission_classes = [IsMember]

    def post(self, request: Request) -> Response:
        return _move_to_london(request)


class _PlainDrfMoveView(APIView):
    """The same write on DRF's bare APIView, to show what the base class adds."""

    permission_classes = [IsMember]

    def post(self, request: Request) -> Response:
        return _move_to_london(request)


urlpatterns = [
    path("api/v1/test/move/", _MoveView.as_view()),
    path("api/v1/test/plain-move/", _PlainDrfMoveView.as_view()),
    path("api/v1/", include("odp.api.urls")),
]

with_test_views = pytest.mark.urls(__name__)


@pytest.fixture
def token_client(staff_member) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=staff_member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _moves(member) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(object_type="odp.member", object_id=str(member.pk), action="update")
    return list(events)


def test_a_token_authenticates_api_requests(token_client, staff_member):
    response = token_client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["id"] == staff_member.pk


def test_a_session_authenticates_api_requests(staff_member):
    client = APIClient()
    client.force_login(staff_member.user)

    assert client.get("/api/v1/me/").json()["id"] == staff_member.pk


@with_test_views
def test_a_token_authenticated_write_is_audited_against_the_token_user(token_client, staff_member):
    response = token_client.post("/api/v1/test/move/")

    assert response.status_code == 200
    assert response.json() == {"actor": staff_member.user_id}
    [event] = _moves(staff_member)
    assert event.actor_id == staff_member.user_id
    assert event.changes == {"region": ["north_west", "london"]}
    assert audit.current_actor() is None, "the actor must not outlive the request"


@with_test_views
def test_without_the_base_class_a_token_write_has_no_actor(token_client, staff_member):
    """Why the base class exists: the middleware runs before DRF reads the token."""
    token_client.post("/api/v1/test/plain-move/")

    [event] = _moves(staff_member)
    assert event.actor is None


@with_test_views
def test_a_session_write_needs_the_csrf_token(staff_member):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_member.user)

    response = client.post("/api/v1/test/move/")

    assert response.status_code == 403
    assert response.json()["errors"][0]["message"].startswith("CSRF Failed")
    assert _moves(staff_member) == []


@with_test_views
def test_a_token_write_needs_no_csrf_token(staff_member):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_member.user).key}")

    assert client.post("/api/v1/test/move/").status_code == 200


# policy()


def _allowed(permission: type[HasPolicy], member, view_action: str | None = None) -> bool:
    request = SimpleNamespace(user=member.user if member else UserFactory())
    return permission().has_permission(request, SimpleNamespace(action=view_action))


def test_policy_grants_what_odp_access_grants(staff_member, head_of_profession, odp_admin):
    review = policy("ideas.review")

    assert not _allowed(review, staff_member)
    assert _allowed(review, head_of_profession)
    assert _allowed(review, odp_admin)


def test_policy_refuses_users_without_an_active_member(db, staff_member):
    assert not _allowed(policy("home.view"), None)
    staff_member.is_active = False
    staff_member.save()
    assert not _allowed(policy("home.view"), staff_member)


def test_policy_can_name_a_policy_per_viewset_action(staff_member, odp_admin):
    permission = policy("organisations.list", create="reports.author")

    assert _allowed(permission, staff_member, "list")
    assert _allowed(permission, staff_member, None)
    assert not _allowed(permission, staff_member, "create")
    assert _allowed(permission, odp_admin, "create")


def test_a_viewset_action_without_a_policy_is_refused(odp_admin):
    permission = policy(create="reports.author")

    assert _allowed(permission, odp_admin, "create")
    assert not _allowed(permission, odp_admin, "list")


def test_an_unknown_policy_fails_where_the_view_is_defined():
    with pytest.raises(ValueError, match=r"ideas\.approve"):
        policy("ideas.approve")
    with pytest.raises(ValueError, match="needs an action"):
        policy()
