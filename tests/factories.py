"""Factories for the core domain. Apps add their own in tests/<app>/factories.py."""

from __future__ import annotations

import factory
from django.utils.text import slugify

from odp.models import (
    Grade,
    JobFamily,
    Member,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    RoleAssignment,
    User,
)

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department for Testing {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name)[:80])
    kind = OrganisationKind.MINISTERIAL_DEPARTMENT
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = factory.django.Password(TEST_PASSWORD)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    grade = Grade.EO
    job_family = JobFamily.CUSTOMER_SERVICE
    role_level = 2
    region = Region.NORTH_WEST


def grant(member: Member, role: str | Role, organisation: Organisation | None = None) -> RoleAssignment:
    """Give a member a role (organisation-scoped roles need the organisation)."""
    from odp import access

    assignment = RoleAssignment.objects.create(member=member, role=role, organisation=organisation)
    access.forget(member)
    return assignment
