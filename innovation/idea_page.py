"""An idea's page: the idea, and the lists it shows: its timeline, decisions, comments, measured benefits and
adoptions.

Each is read by SQL written once (the ORM took three times as long to build each of these small queries as to
read its rows, five times a page view), as the model's own instances in the model's order, with who wrote or
decided each and the adopting organisation read in the same query. Only the filters are built by the ORM, since
``Idea.objects.visible_to`` decides which ideas a member sees and ``CommentQuerySet.shown_to`` which hidden
comments. Call the lists only for an idea found by ``idea``."""

# ruff: noqa: S608 - the SQL is this module's own constants and an ORM-compiled filter; every value is a parameter

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.db.models import Exists, OuterRef

from innovation import selectors
from innovation.models import (
    Adoption,
    BenefitMeasure,
    CaseStudy,
    Comment,
    Decision,
    Endorsement,
    Follow,
    Idea,
    IdeaEvent,
)
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


# The idea with what its page prints of its organisations, author and case study, and whether this member
# endorses and follows it.
_IDEA_SQL = (
    'SELECT "innovation_idea".*, o."name" AS "organisation__name", oo."name" AS "origin_organisation__name"'
    + _PERSON.format("author")
    + ', cs."id" AS "case_study__id", cs."slug" AS "case_study__slug", cs."status" AS "case_study__status"'
    ', EXISTS (SELECT 1 FROM "innovation_endorsement" e WHERE e."idea_id" = "innovation_idea"."id"'
    ' AND e."member_id" = %s) AS "endorsed_by_member"'
    ', EXISTS (SELECT 1 FROM "innovation_follow" f WHERE f."idea_id" = "innovation_idea"."id"'
    ' AND f."member_id" = %s) AS "followed_by_member"'
    ' FROM "innovation_idea"'
    ' INNER JOIN "odp_organisation" o ON o."id" = "innovation_idea"."organisation_id"'
    ' INNER JOIN "odp_organisation" oo ON oo."id" = "innovation_idea"."origin_organisation_id"'
    ' INNER JOIN "odp_member" m ON m."id" = "innovation_idea"."author_id"'
    ' INNER JOIN "odp_user" u ON u."id" = m."user_id"'
    ' LEFT OUTER JOIN "innovation_casestudy" cs ON cs."idea_id" = "innovation_idea"."id"'
    ' WHERE ({where}) AND "innovation_idea"."id" = %s'
)


def idea(member: Member, idea_id: int) -> Idea | None:
    """The idea if this member may see it, with ``endorsed_by_member`` and ``followed_by_member``, its
    organisation, origin organisation, author and case study (or None) read in the same query."""
    visible = selectors.filter_sql(Idea.objects.visible_to(member))
    if visible is None:  # visible_to grew a join: let the ORM write the whole query
        return _idea_by_orm(member, idea_id)
    where, params = visible
    found = list(Idea.objects.raw(_IDEA_SQL.format(where=where), [member.pk, member.pk, *params, idea_id]))
    if not found:
        return None
    idea = found[0]
    db, values = idea._state.db, idea.__dict__
    idea.endorsed_by_member = bool(idea.endorsed_by_member)
    idea.followed_by_member = bool(idea.followed_by_member)
    for field in ("organisation", "origin_organisation"):
        name = values.pop(f"{field}__name")
        organisation = _partial(Organisation, db, {"id": getattr(idea, f"{field}_id"), "name": name})
        Idea._meta.get_field(field).set_cached_value(idea, organisation)
    _with_person([idea], "author")
    case_study = {name: values.pop(f"case_study__{name}") for name in ("id", "slug", "status")}
    if case_study["id"] is None:
        Idea._meta.get_field("case_study").set_cached_value(idea, None)
    else:
        study = _partial(CaseStudy, db, {**case_study, "idea_id": idea.pk})
        Idea._meta.get_field("case_study").set_cached_value(idea, study)
    return idea


def _idea_by_orm(member: Member, idea_id: int) -> Idea | None:
    """The same through the ORM (what _IDEA_SQL was written from)."""
    ideas = (
        Idea.objects.visible_to(member)
        .select_related("organisation", "origin_organisation", "author__user", "case_study")
        .annotate(
            endorsed_by_member=Exists(Endorsement.objects.filter(idea=OuterRef("pk"), member=member)),
            followed_by_member=Exists(Follow.objects.filter(idea=OuterRef("pk"), member=member)),
        )
    )
    return ideas.filter(pk=idea_id).first()


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
