"""Every API error has one shape: {"errors": [{"field", "code", "message"}], "status"}."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import include, path
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from odp.api.base import ApiView
from odp.api.permissions import IsMember, policy
from tests.factories import UserFactory


class _Address(serializers.Serializer):
    postcode = serializers.CharField(max_length=8)


class _Item(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)


class _Order(serializers.Serializer):
    name = serializers.CharField()
    address = _Address()
    items = _Item(many=True)

    def validate(self, attrs: dict) -> dict:
        if attrs["name"] == "nobody":
            raise serializers.ValidationError("Orders need a real name.", code="no_name")
        return attrs


class _OrderView(ApiView):
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        order = _Order(data=request.data)
        order.is_valid(raise_exception=True)
        return Response(order.validated_data)


class _ServiceRefusesView(ApiView):
    """A service raising Django's ValidationError, as services do for invalid transitions."""

    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        if request.data.get("whole"):
            raise DjangoValidationError("This idea was already submitted.", code="invalid_transition")
        raise DjangoValidationError({"grade": ["Grade cannot go down."]})


class _BrokenView(ApiView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise RuntimeError("database says no: password=hunter2")


class _OnePerMinute(AnonRateThrottle):
    rate = "1/min"


class _ThrottledView(ApiView):
    permission_classes = [AllowAny]
    throttle_classes = [_OnePerMinute]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class _TokenFirstView(ApiView):
    """Token authentication listed first, so DRF answers anonymous requests with 401 and a challenge."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsMember]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class _AuditOnlyView(ApiView):
    permission_classes = [policy("audit.view")]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class _NoPolicyView(ApiView):
    def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [
    path("api/v1/test/order/", _OrderView.as_view()),
    path("api/v1/test/service/", _ServiceRefusesView.as_view()),
    path("api/v1/test/broken/", _BrokenView.as_view()),
    path("api/v1/test/throttled/", _ThrottledView.as_view()),
    path("api/v1/test/token-first/", _TokenFirstView.as_view()),
    path("api/v1/test/audit-only/", _AuditOnlyView.as_view()),
    path("api/v1/test/no-policy/", _NoPolicyView.as_view()),
    path("api/v1/", include("odp.api.urls")),
]

with_test_views = pytest.mark.urls(__name__)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors", "status"}
    assert body["status"] == response.status_code
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}
    return body["errors"]


@with_test_views
def test_validation_errors_name_each_field_by_its_dotted_path(api, db):
    response = api.post(
        "/api/v1/test/order/",
        {"address": {"postcode": "SW1A 2AA-TOO-LONG"}, "items": [{"quantity": 1}, {"quantity": 0}]},
        format="json",
    )

    assert response.status_code == 400
    by_field = {e["field"]: e for e in _errors(response)}
    assert set(by_field) == {"name", "address.postcode", "items.1.quantity"}
    assert by_field["name"]["code"] == "required"
    assert by_field["address.postcode"]["code"] == "max_length"
    assert by_field["items.1.quantity"]["code"] == "min_value"
    assert by_field["items.1.quantity"]["message"] == "Ensure this value is greater than or equal to 1."


@with_test_views
def test_errors_about_the_whole_request_have_no_field(api, db):
    response = api.post(
        "/api/v1/test/order/",
        {"name": "nobody", "address": {"postcode": "SW1A 2AA"}, "items": []},
        format="json",
    )

    assert response.status_code == 400
    assert _errors(response) == [{"field": None, "code": "no_name", "message": "Orders need a real name."}]


@with_test_views
def test_a_malformed_body_is_a_400_parse_error(api, db):
    response = api.post("/api/v1/test/order/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert [e["code"] for e in _errors(response)] == ["parse_error"]


@with_test_views
def test_django_validation_errors_from_services_become_400s(api, db):
    by_field = api.post("/api/v1/test/service/", {}, format="json")
    whole = api.post("/api/v1/test/service/", {"whole": True}, format="json")

    assert by_field.status_code == 400
    assert _errors(by_field) == [{"field": "grade", "code": "invalid", "message": "Grade cannot go down."}]
    assert whole.status_code == 400
    assert _errors(whole) == [
        {"field": None, "code": "invalid_transition", "message": "This idea was already submitted."}
    ]


@with_test_views
def test_an_unhandled_exception_is_a_logged_500_in_the_same_shape(api, db, caplog):
    with caplog.at_level(logging.ERROR, logger="odp.api"):
        response = api.get("/api/v1/test/broken/")

    assert response.status_code == 500
    errors = _errors(response)
    assert [e["code"] for e in errors] == ["server_error"]
    assert "hunter2" not in response.content.decode()
    record = next(r for r in caplog.records if r.name == "odp.api")
    assert "GET /api/v1/test/broken/" in record.getMessage()
    assert record.exc_info[0] is RuntimeError


@with_test_views
def test_throttled_requests_are_429_with_retry_after(api, db):
    cache.clear()
    assert api.get("/api/v1/test/throttled/").status_code == 200

    response = api.get("/api/v1/test/throttled/")

    assert response.status_code == 429
    assert [e["code"] for e in _errors(response)] == ["throttled"]
    assert int(response["Retry-After"]) > 0
    cache.clear()


@with_test_views
def test_anonymous_is_401_with_a_token_challenge_when_token_auth_comes_first(api, db):
    response = api.get("/api/v1/test/token-first/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert [e["code"] for e in _errors(response)] == ["not_authenticated"]


@with_test_views
def test_a_bad_token_is_401_authentication_failed(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.get("/api/v1/test/token-first/")

    assert response.status_code == 401
    assert [e["code"] for e in _errors(response)] == ["authentication_failed"]


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/organisations/", "/api/v1/members/"])
def test_anonymous_requests_to_real_endpoints_are_refused_in_the_one_format(api, db, url):
    response = api.get(url)

    # 401 once token authentication is listed first in REST_FRAMEWORK; 403 while session comes first.
    assert response.status_code in (401, 403)
    assert [e["code"] for e in _errors(response)] == ["not_authenticated"]


@with_test_views
def test_a_user_without_a_member_record_is_403_not_a_member(api, db):
    api.force_authenticate(UserFactory())

    response = api.get("/api/v1/test/audit-only/")

    assert response.status_code == 403
    assert [e["code"] for e in _errors(response)] == ["not_a_member"]


@with_test_views
def test_a_member_without_the_policy_is_403_permission_denied(api, staff_member):
    api.force_authenticate(staff_member.user)

    response = api.get("/api/v1/test/audit-only/")

    assert response.status_code == 403
    assert [e["code"] for e in _errors(response)] == ["permission_denied"]


@with_test_views
def test_a_view_that_names_no_policy_is_refused_even_to_an_admin(api, odp_admin):
    api.force_authenticate(odp_admin.user)

    assert api.get("/api/v1/test/audit-only/").status_code == 200
    response = api.get("/api/v1/test/no-policy/")
    assert response.status_code == 403
    assert [e["code"] for e in _errors(response)] == ["permission_denied"]


def test_a_method_the_endpoint_lacks_is_405_with_allow(api, staff_member):
    api.force_authenticate(staff_member.user)

    response = api.post("/api/v1/me/", {}, format="json")

    assert response.status_code == 405
    assert [e["code"] for e in _errors(response)] == ["method_not_allowed"]
    assert "GET" in response["Allow"]


def test_an_out_of_range_page_is_404_in_the_one_format(api, staff_member):
    api.force_authenticate(staff_member.user)

    response = api.get("/api/v1/members/?page=99")

    assert response.status_code == 404
    assert [e["code"] for e in _errors(response)] == ["not_found"]


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_url_under_the_api_is_a_json_404(api, db, method):
    response = getattr(api, method)("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert _errors(response) == [{"field": None, "code": "not_found", "message": "Not found."}]


def test_an_api_url_without_its_trailing_slash_says_which_url_was_meant(api, db):
    response = api.get("/api/v1/me")

    assert response.status_code == 404
    assert _errors(response)[0]["message"] == "Not found. Did you mean /api/v1/me/?"


def test_token_and_session_clients_get_the_same_shape(api, staff_member):
    token = Token.objects.create(user=staff_member.user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get("/api/v1/organisations/999999/")

    assert response.status_code == 404
    assert _errors(response) == [{"field": None, "code": "not_found", "message": "Not found."}]
