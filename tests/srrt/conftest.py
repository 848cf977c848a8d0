"""Fixtures for the SRRT tests: a requester, coordinators inside and outside the requesting department, and
a responder."""

from __future__ import annotations

import pytest

from odp.models import Member, Role
from tests.factories import MemberFactory, grant
from tests.srrt.factories import ResponderFactory


@pytest.fixture
def requester(home_office) -> Member:
    member = MemberFactory(organisation=home_office, user__username="requester")
    grant(member, Role.DEPARTMENT_REQUESTER, home_office)
    return member


@pytest.fixture
def coordinator(dwp) -> Member:
    member = MemberFactory(organisation=dwp, user__username="coordinator", grade="G7")
    grant(member, Role.SRRT_COORDINATOR)
    return member


@pytest.fixture
def home_office_coordinator(home_office) -> Member:
    member = MemberFactory(organisation=home_office, user__username="ho-coordinator", grade="G7")
    grant(member, Role.SRRT_COORDINATOR)
    return member


@pytest.fixture
def responder_member(dwp) -> Member:
    member = MemberFactory(organisation=dwp, user__username="responder")
    grant(member, Role.SRRT_RESPONDER)
    return member


@pytest.fixture
def responder(responder_member):
    return ResponderFactory(member=responder_member)
