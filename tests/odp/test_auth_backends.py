"""The signed-in user, their member record and its organisation, read together on every request
(odp.auth.backends)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from odp.auth.backends import MemberModelBackend, user_with_member
from odp.models import Member, Organisation, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_member_record_as_the_orm_reads_it(staff_member, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = user_with_member(staff_member.user_id)
        member = user.member
        assert member.user is user
        organisation = member.organisation
    orm_user, orm_member = User.objects.get(pk=staff_member.user_id), Member.objects.get(pk=staff_member.pk)
    read = ((User, user, orm_user), (Member, member, orm_member), (Organisation, organisation, orm_member.organisation))
    for model, ours, theirs in read:
        for field in model._meta.concrete_fields:
            mine, orms = getattr(ours, field.attname), getattr(theirs, field.attname)
            assert (mine, type(mine)) == (orms, type(orms)), field.attname  # booleans and aware datetimes too
    assert member.created_at.tzinfo is not None and member.is_active is True


def test_a_user_without_a_member_record_reads_none_without_another_query(django_assert_num_queries):
    admin_only = UserFactory()
    with django_assert_num_queries(1):
        user = user_with_member(admin_only.pk)
        assert not hasattr(user, "member")  # RelatedObjectDoesNotExist, from the cache
    assert user_with_member(admin_only.pk + 1000) is None


def test_inactive_users_are_not_signed_in(staff_member):
    User.objects.filter(pk=staff_member.user_id).update(is_active=False)
    assert MemberModelBackend().get_user(staff_member.user_id) is None


def test_a_signed_in_page_reads_user_and_member_in_one_query(client, staff_member, django_assert_num_queries):
    client.force_login(staff_member.user)
    client.get(reverse("ideas-new"))
    # The session, the user with their member and organisation, their roles.
    with django_assert_num_queries(3):
        response = client.get(reverse("ideas-new"))
    assert response.status_code == 200 and response.context["request"].user.member == staff_member
