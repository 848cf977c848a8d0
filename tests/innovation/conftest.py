"""Fixtures for the ideas tests: members beyond central government, and a member of a second department."""

from __future__ import annotations

import pytest

from odp.models import Member, Organisation, OrganisationKind, Role
from tests.factories import MemberFactory, OrganisationFactory, grant


@pytest.fixture
def council(db) -> Organisation:
    return OrganisationFactory(name="Leeds City Council", slug="leeds", kind=OrganisationKind.LOCAL_AUTHORITY)


@pytest.fixture
def partner(db) -> Organisation:
    return OrganisationFactory(name="Contact Centre Partners Ltd", slug="ccp", kind=OrganisationKind.PRIVATE_PARTNER)


@pytest.fixture
def council_member(council) -> Member:
    return MemberFactory(organisation=council, user__username="council")


@pytest.fixture
def partner_member(partner) -> Member:
    return MemberFactory(organisation=partner, user__username="partner")


@pytest.fixture
def dwp_staff(dwp) -> Member:
    return MemberFactory(organisation=dwp, user__username="dwp-staff")


@pytest.fixture
def dwp_hop(dwp) -> Member:
    member = MemberFactory(organisation=dwp, user__username="dwp-hop", grade="G6")
    grant(member, Role.HEAD_OF_PROFESSION, dwp)
    return member


@pytest.fixture
def colleague(passport_office) -> Member:
    """Another member of the staff member's own organisation."""
    return MemberFactory(organisation=passport_office, user__username="colleague")
