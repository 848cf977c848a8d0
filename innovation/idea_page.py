"""The lists an idea's page shows: its timeline, decisions, comments, measured benefits and adoptions.

Each is read by SQL written once (the ORM took three times as long to build each of these small queries as to
read its rows, five times a page view), as the model's own instances in the model's order, with who wrote or
decided each and the adopting organisation read in the same query. Only the comment filter is built by the ORM,
since ``CommentQuerySet.shown_to`` decides which hidden comments a member sees. Call these only for an idea
found through ``Idea.objects.visible_to(member)``."""

# ruff: noqa: S608 - the SQL is this module's own constants and an ORM-compiled filter; every value is a parameter

from __future__ import annotations

from typing import TypeVar

from django.db import models

from innovation.models import Adoption, BenefitMeasure, Comment, Decision, Idea, IdeaEvent
from odp.models import Member, Organisation, User

M = TypeVar("M", bound=models.Model)

# A member's name as Member.__str__ prints it: from their user's names and username.
_PERSON = (
    ', m.user_id AS "{0}__user_id", u.first_name AS "{0}__first_name", u.last_name AS "{0}__last_name", '
    'u.username AS "{0}__username"'
)
_PERSON_JOIN = ' LEFT OUTER JOIN "odp_member" m ON m.id = t."{0}_id" LEFT OUTER JOIN "odp_user" u ON u.id = m.user_id'
_EVENTS_SQL = (
    f'SELECT t.*{_PERSON.format("actor")} FROM "innovation_ideaevent" t{_PERSON_JOIN.format("actor")} '
    'WHERE t."idea_id" = %s ORDER BY t."at" ASC, t."id" ASC'
)
_DECISIONS_SQL = (
    f'SELECT t.*{_PERSON.format("decided_by")} FROM "innovation_decision" t{_PERSON_JOIN.format("decided_by")} '
    'WHERE t."idea_id" = %s ORDER BY t."decided_at" ASC, t."id" ASC'
)
_COMMENTS_SQL = (
    f'SELECT "innovation_comment".*{_PERSON.format("author")} FROM "innovation_comment"'
    ' LEFT OUTER JOIN "odp_member" m ON m.id = "innovation_comment"."author_id"'
    ' LEFT OUTER JOIN "odp_user" u ON u.id = m.user_id'
    ' WHERE {where} ORDER BY "innovation_comment"."created_at" ASC, "innovation_comment"."id" ASC'
)
_MEASURES_SQL = 'SELECT t.* FROM "innovation_benefitmeasure" t WHERE t."idea_id" = %s ORDER BY t."id" ASC'
_ADOPTIONS_SQL = (
    'SELECT t.*, o.name AS "organisation__name" FROM "innovation_adoption" t'
    ' INNER JOIN "odp_organisation" o ON o.id = t."organisation_id"'
    ' WHERE t."idea_id" = %s ORDER BY t."adopted_on" DESC, t."id" DESC'
)


def _partial(model: type[M], db: str, values: dict) -> M:
    """An instance with just these fields loaded (the rest deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def _with_person(rows: list[M], field: str) -> list[M]:
    """Cache on each row the member its ``field`` names, with just what their name is printed from."""
    for row in rows:
        extra = {
            name: row.__dict__.pop(f"{field}__{name}") for name in ("user_id", "first_name", "last_name", "username")
        }
        member_id = getattr(row, f"{field}_id")
        member = None
        if member_id is not None:
            user = _partial(User, row._state.db, {"id": extra.pop("user_id"), **extra})
            member = _partial(Member, row._state.db, {"id": member_id, "user_id": user.pk})
            Member._meta.get_field("user").set_cached_value(member, user)
        row._meta.get_field(field).set_cached_value(row, member)
    return rows


def events(idea: Idea) -> list[IdeaEvent]:
    return _with_person(list(IdeaEvent.objects.raw(_EVENTS_SQL, [idea.pk])), "actor")


def decisions(idea: Idea) -> list[Decision]:
    return _with_person(list(Decision.objects.raw(_DECISIONS_SQL, [idea.pk])), "decided_by")


def comments(idea: Idea, member: Member) -> list[Comment]:
    shown = Comment.objects.filter(idea_id=idea.pk).shown_to(member)
    query = shown.query
    where, params = query.get_compiler(shown.db).compile(query.where)
    return _with_person(list(Comment.objects.raw(_COMMENTS_SQL.format(where=where), params)), "author")


def measures(idea: Idea) -> list[BenefitMeasure]:
    return list(BenefitMeasure.objects.raw(_MEASURES_SQL, [idea.pk]))


def adoptions(idea: Idea) -> list[Adoption]:
    found = list(Adoption.objects.raw(_ADOPTIONS_SQL, [idea.pk]))
    field = Adoption._meta.get_field("organisation")
    for adoption in found:
        name = adoption.__dict__.pop("organisation__name")
        organisation = _partial(Organisation, adoption._state.db, {"id": adoption.organisation_id, "name": name})
        field.set_cached_value(adoption, organisation)
    return found
