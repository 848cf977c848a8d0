"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from odp.models import Member, Organisation, OrganisationKind, Role
from tests.factories import MemberFactory, OrganisationFactory, grant


@pytest.fixture
def home_office(db) -> Organisation:
    return OrganisationFactory(
        name="Home Office", slug="home-office", kind=OrganisationKind.MINISTERIAL_DEPARTMENT
    )


@pytest.fixture
def passport_office(home_office) -> Organisation:
    return OrganisationFactory(
        name="HM Passport Office",
        slug="hm-passport-office",
        kind=OrganisationKind.EXECUTIVE_AGENCY,
        parent=home_office,
    )


@pytest.fixture
def dwp(db) -> Organisation:
    return OrganisationFactory(
        name="Department for Work and Pensions", slug="dwp", kind=OrganisationKind.MINISTERIAL_DEPARTMENT
    )


@pytest.fixture
def staff_member(passport_office) -> Member:
    return MemberFactory(organisation=passport_office, user__username="staff")


@pytest.fixture
def head_of_profession(home_office) -> Member:
    member = MemberFactory(organisation=home_office, user__username="hop", grade="G6")
    grant(member, Role.HEAD_OF_PROFESSION, home_office)
    return member


@pytest.fixture
def odp_admin(dwp) -> Member:
    member = MemberFactory(organisation=dwp, user__username="admin", grade="G7")
    grant(member, Role.ODP_ADMIN)
    return member
