"""Password sign-in that reads the signed-in user, their member record and its organisation together.

Every signed-in request reads its user (the authentication backend's ``get_user``), then for nearly every page
their member record, and for every idea list or page their organisation (``visible_to``): three ORM queries that
cost about 1 ms of CPU, most of it building the SQL. Here one statement written once reads all three (0.3 ms), each
value converted as the ORM would convert it."""

from __future__ import annotations

import functools
from typing import TypeVar

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import Col

from odp.models import Member, Organisation, User
from odp.sql import column, table

M = TypeVar("M", bound=Model)

_MEMBER, _ORGANISATION = "member__", "organisation__"


@functools.cache
def _sql() -> str:
    q = connection.ops.quote_name

    def columns(alias: str, model: type[Model], prefix: str) -> str:
        return ", ".join(f"{alias}.{q(f.column)} AS {q(prefix + f.attname)}" for f in model._meta.concrete_fields)

    return (
        f"SELECT u.*, {columns('m', Member, _MEMBER)}, {columns('o', Organisation, _ORGANISATION)} "  # noqa: S608 - names from the models
        f"FROM {table(User)} u "
        f"LEFT OUTER JOIN {table(Member)} m ON m.{column(Member, 'user')} = u.{column(User, 'id')} "
        f"LEFT OUTER JOIN {table(Organisation)} o "
        f"ON o.{column(Organisation, 'id')} = m.{column(Member, 'organisation')} "
        f"WHERE u.{column(User, 'id')} = %s"
    )


@functools.cache
def _converters(field: Field) -> tuple[Col, list]:
    column = field.get_col(field.model._meta.db_table)
    return column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)


def _converted(field: Field, value: object) -> object:
    column, converters = _converters(field)
    for convert in converters:
        value = convert(value, column, connection)
    return value


def _instance(model: type[M], db: str, row: dict, prefix: str) -> M:
    fields = model._meta.concrete_fields
    return model.from_db(db, [f.attname for f in fields], [_converted(f, row.pop(prefix + f.attname)) for f in fields])


def user_with_member(user_id: object) -> User | None:
    """The user, with their member record (or its absence) cached as ``user.member`` and the member's organisation
    as ``user.member.organisation``; None if there is no user."""
    found = list(User.objects.raw(_sql(), [user_id]))
    if not found:
        return None
    user = found[0]
    row, db = user.__dict__, user._state.db
    reverse = Member._meta.get_field("user").remote_field
    if row[_MEMBER + "id"] is None:  # no member record: say so, so that reading it does not query again
        for name in list(row):
            if name.startswith((_MEMBER, _ORGANISATION)):
                del row[name]
        reverse.set_cached_value(user, None)
        return user
    member, organisation = _instance(Member, db, row, _MEMBER), _instance(Organisation, db, row, _ORGANISATION)
    Member._meta.get_field("user").set_cached_value(member, user)
    Member._meta.get_field("organisation").set_cached_value(member, organisation)
    reverse.set_cached_value(user, member)
    return user


class MemberModelBackend(ModelBackend):
    """Django's ModelBackend, with the member record read along with the user on every request."""

    def get_user(self, user_id: object) -> User | None:
        user = user_with_member(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
