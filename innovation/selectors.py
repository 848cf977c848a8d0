"""Reads composed for pages and the API. Every one starts from a ``visible_to``/``reviewable_by`` queryset.

Search and similar ideas use PostgreSQL full-text search on a stored, weighted document (kept by a trigger,
GIN-indexed, migrations 0006 and 0007) and trigram similarity on titles (``pg_trgm``, migration 0002). On
SQLite, the embedded default, they fall back to matching words. ``python -m benchmarks.ideas`` measures them
at 100,000 ideas."""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from innovation.models import Idea, IdeaStatus
from odp.models import Member, Organisation

PAGE_SIZE = 20
SIMILAR_LIMIT = 5
SIMILARITY_FLOOR = 0.12
CANDIDATES = 200  # similar ideas: how many full-text matches are scored in full
SORTS = {
    "newest": ("-submitted_at", "-pk"),
    "most_endorsed": ("-endorsement_count", "-submitted_at", "-pk"),
    "recently_decided": (F("decided_at").desc(nulls_last=True), "-pk"),
}
# Words too common to say anything about similarity (SQLite fallback; PostgreSQL has its own stop list).
_STOP_WORDS_TEXT = (
    "a an and are as at be but by can for from has have how in into is it its not of on or our should so that the "
    "their them there they this to too use we were what when where which who will with would you your"
)
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"[a-z0-9]{3,}")


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def words(text: str, limit: int = 12) -> list[str]:
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in _STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:limit]


def review_queue(member: Member) -> QuerySet[Idea]:
    """Ideas owed a decision by organisations this member leads, soonest due first, overdue flagged."""
    today = timezone.localdate()
    return (
        Idea.objects.reviewable_by(member)
        .filter(status__in=IdeaStatus.awaiting_decision())
        .select_related("organisation")
        .annotate(
            is_overdue=Case(
                When(decision_due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by(F("decision_due_on").asc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class IdeaFilters:
    q: str = ""
    theme: str = ""  # theme slug
    organisation: int | None = None
    status: str = ""
    service_area: str = ""
    sort: str = "newest"


# The browse page's filters, in one query of constant SQL: each organisation with any idea (one index probe per
# organisation: a join of every idea with DISTINCT took 70 to 130 ms at 100,000 ideas) and each theme, by name.
_CHOICES_SQL = (
    'SELECT 1, CAST(o."id" AS TEXT), o."name" FROM "odp_organisation" o'
    ' WHERE EXISTS (SELECT 1 FROM "innovation_idea" i WHERE i."organisation_id" = o."id")'
    ' UNION ALL SELECT 2, t."slug", t."name" FROM "innovation_theme" t ORDER BY 1, 3'
)


def browse_choices() -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """The browse page's organisation filter, (id, name) of each organisation with any idea, and its theme filter,
    (slug, name) of each theme; both by name. Pairs rather than model instances, which cost more than the query
    to build."""
    organisations: list[tuple[int, str]] = []
    themes: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute(_CHOICES_SQL)
        for kind, key, name in cursor.fetchall():
            if kind == 1:
                organisations.append((int(key), name))
            else:
                themes.append((key, name))
    return organisations, themes


def browse(member: Member, filters: IdeaFilters) -> QuerySet[Idea]:
    """Submitted ideas this member can see, filtered, searched and sorted. Drafts are listed elsewhere."""
    return _browsing(member, filters).select_related("organisation").prefetch_related("themes")


def browse_page(member: Member, filters: IdeaFilters, number: int | str | None) -> Page:
    """One page of ``browse`` as rows of what the browse page prints: ``pk``, ``reference``, ``title``,
    ``organisation_name``, ``endorsement_count``, ``status`` and ``themes`` (names). Plain rows rather
    than ideas with their organisations and prefetched themes, which took longer to build than the queries took
    to run; the themes of the page's ideas in one query."""
    ideas = _browsing(member, filters)
    # Counted without the organisations' join, which would stop the count reading only the covering index; from
    # the filter's SQL, built once for the count and the page, when it needs no other table.
    where = filter_sql(ideas)
    page = paginate(_Count(*where) if where else ideas.values("pk"), number)
    bottom = (page.number - 1) * page.paginator.per_page
    rows = ideas.values(
        "pk", "reference", "title", "endorsement_count", "status", organisation_name=F("organisation__name")
    )
    page.object_list = list(rows[bottom : bottom + page.paginator.per_page]) if page.paginator.count else []
    themes: dict[int, list[str]] = {row["pk"]: [] for row in page.object_list}
    if themes:
        with connection.cursor() as cursor:
            cursor.execute(_THEMES_SQL.format(ids=", ".join(["%s"] * len(themes))), list(themes))
            for idea_id, name in cursor.fetchall():
                themes[idea_id].append(name)
    for row in page.object_list:
        row["themes"] = themes[row["pk"]]
    return page


_THEMES_SQL = (
    'SELECT it."idea_id", t."name" FROM "innovation_idea_themes" it INNER JOIN "innovation_theme" t'
    ' ON t."id" = it."theme_id" WHERE it."idea_id" IN ({ids}) ORDER BY t."name", t."id"'
)


class _Count:
    """What a Paginator needs of the ideas a filter finds: how many (the page's rows are read separately)."""

    def __init__(self, where: str, params: list) -> None:
        self.where, self.params = where, params

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "innovation_idea" WHERE {self.where}', self.params)  # noqa: S608
            return cursor.fetchone()[0]

    def __getitem__(self, index: slice) -> list:
        return []


def _browsing(member: Member, filters: IdeaFilters) -> QuerySet[Idea]:
    ideas = Idea.objects.visible_to(member).exclude(status=IdeaStatus.DRAFT).filter(is_hidden=False)
    if filters.theme:
        ideas = ideas.filter(themes__slug=filters.theme)
    if filters.organisation:
        ideas = ideas.filter(organisation_id=filters.organisation)
    if filters.status:
        ideas = ideas.filter(status=filters.status)
    if filters.service_area:
        ideas = ideas.filter(service_area=filters.service_area)
    q = filters.q.strip()
    if q:
        ideas = _search(ideas, q)
        if filters.sort == "relevance" or filters.sort not in SORTS:
            return ideas.order_by("-relevance", "-pk")
    return ideas.order_by(*SORTS.get(filters.sort, SORTS["newest"]))


def _search(ideas: QuerySet[Idea], q: str) -> QuerySet[Idea]:
    if _postgres():
        # Full text: an index-served match on the stored document, ranked with title words above problem
        # words (the document is weighted, migration 0007). A trigram fallback for misspellings was tried and
        # dropped: it read every title sharing a trigram (over 400 ms at 100,000 ideas).
        query = SearchQuery(q, config="english", search_type="websearch")
        return ideas.filter(search_document=query).annotate(relevance=SearchRank(F("search_document"), query))
    terms = words(q) or [q.lower()]
    match = Q()
    score = Value(0)
    for term in terms:
        match |= Q(title__icontains=term) | Q(problem__icontains=term)
        score = score + Case(When(title__icontains=term, then=Value(2)), default=Value(0), output_field=IntegerField())
        score = score + Case(
            When(problem__icontains=term, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    return ideas.filter(match).annotate(relevance=ExpressionWrapper(score, output_field=FloatField()))


def _sharing(key: list[str], at_least: int) -> tuple[str, str]:
    """A document sharing at least ``at_least`` of the key words (all of them when there are fewer): the
    PostgreSQL function that parses the query and the query's text."""
    if len(key) <= at_least:
        return "plainto_tsquery", " ".join(key)
    return "to_tsquery", " | ".join(f"({' & '.join(group)})" for group in itertools.combinations(key, at_least))


def paginate(ideas: QuerySet[Idea], page: int | str | None, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(ideas, per_page).get_page(page)


# Similar ideas on PostgreSQL, written once: the ORM took longer to build this query (two querysets, a subquery,
# four search expressions) than PostgreSQL took to run it, on every question page and every keystroke's API call.
# Only the visibility filter comes from the ORM, since visible_to decides it. The shortlist is the best CANDIDATES
# by the cheap full-text rank, then the title's costly trigram similarity is scored on those alone.
_SCORE = (
    '(SIMILARITY("innovation_idea"."title", %s) + COALESCE(ts_rank("innovation_idea"."search_document", '
    "websearch_to_tsquery('english'::regconfig, %s)), 0.0))"
)
_SIMILAR_SQL = f"""SELECT {{idea_columns}}, {_SCORE} AS "similarity", {{organisation_columns}}
FROM "innovation_idea" INNER JOIN "odp_organisation" ON ("innovation_idea"."organisation_id" = "odp_organisation"."id")
WHERE "innovation_idea"."id" IN (
    SELECT "innovation_idea"."id" FROM "innovation_idea"
    WHERE {{visible}} AND "innovation_idea"."search_document" @@ {{sharing}}('english'::regconfig, %s)
    ORDER BY ts_rank("innovation_idea"."search_document", websearch_to_tsquery('english'::regconfig, %s)) DESC,
        "innovation_idea"."id" DESC
    LIMIT {CANDIDATES}
) AND {_SCORE} >= %s
ORDER BY "similarity" DESC, "innovation_idea"."endorsement_count" DESC, "innovation_idea"."id" DESC
LIMIT {SIMILAR_LIMIT}"""  # noqa: S608 - constants and ORM-compiled SQL only; every value is a parameter


@functools.cache
def _similar_columns() -> tuple[list[str], list[str], str, str]:
    """The attribute names and quoted columns an idea (less its search document) and its organisation are read
    with."""
    quote = connection.ops.quote_name
    ideas = [f for f in Idea._meta.concrete_fields if f.name != "search_document"]
    organisations = list(Organisation._meta.concrete_fields)
    return (
        [f.attname for f in ideas],
        [f.attname for f in organisations],
        ", ".join(f"{quote(Idea._meta.db_table)}.{quote(f.column)}" for f in ideas),
        ", ".join(f"{quote(Organisation._meta.db_table)}.{quote(f.column)}" for f in organisations),
    )


def filter_sql(ideas: QuerySet[Idea]) -> tuple[str, list] | None:
    """The queryset's filter (visible_to's and any other) as SQL and parameters on the unaliased ideas table, for SQL
    written once around it; None when the filter needs another table, for the caller to use the ORM instead."""
    query = ideas.query
    if query.is_empty():
        return "FALSE", []
    try:
        sql, params = query.get_compiler(ideas.db).compile(query.where)
    except EmptyResultSet:
        return "FALSE", []
    except FullResultSet:
        return "TRUE", []
    if {alias for alias, uses in query.alias_refcount.items() if uses} != {Idea._meta.db_table}:
        return None
    return sql, list(params)


def _similar_by_sql(visible: tuple[str, list], sharing: tuple[str, str], *, title: str, everything: str) -> list[Idea]:
    idea_names, organisation_names, idea_columns, organisation_columns = _similar_columns()
    where, where_params = visible
    function, shared = sharing
    sql = _SIMILAR_SQL.format(
        idea_columns=idea_columns, organisation_columns=organisation_columns, visible=where, sharing=function
    )
    params = [title, everything, *where_params, shared, everything, title, everything, SIMILARITY_FLOOR]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    organisation_field = Idea._meta.get_field("organisation")
    width = len(idea_names)
    for row in rows:
        idea = Idea.from_db(connection.alias, idea_names, row[:width])
        idea.similarity = row[width]
        organisation_field.set_cached_value(
            idea, Organisation.from_db(connection.alias, organisation_names, row[width + 1 :])
        )
        found.append(idea)
    return found


def _similar_by_orm(ideas: QuerySet[Idea], key: list[str], *, title: str, text: str) -> list[Idea]:
    """The same search through the ORM (what _SIMILAR_SQL was written from), for a visibility filter it cannot
    take."""
    ideas = ideas.select_related("organisation")
    everything = SearchQuery(" OR ".join(words(text)), config="english", search_type="websearch")
    score = TrigramSimilarity("title", title or text) + Coalesce(
        SearchRank(F("search_document"), everything), Value(0.0)
    )
    found: list[Idea] = []
    for at_least in (3, 2) if len(key) > 3 else (2,):
        function, shared = _sharing(key, at_least)
        sharing = SearchQuery(shared, config="english", search_type="plain" if function == "plainto_tsquery" else "raw")
        shortlist = (
            ideas.filter(search_document=sharing)
            .annotate(rank=SearchRank(F("search_document"), everything))
            .order_by("-rank", "-pk")
            .values("pk")[:CANDIDATES]
        )
        found = list(
            ideas.filter(pk__in=shortlist)
            .annotate(similarity=ExpressionWrapper(score, output_field=FloatField()))
            .filter(similarity__gte=SIMILARITY_FLOOR)
            .order_by("-similarity", "-endorsement_count", "-pk")[:SIMILAR_LIMIT]
        )
        if len(found) == SIMILAR_LIMIT:
            break
    return found


def similar_ideas(member: Member, *, title: str, problem: str = "", exclude: int | None = None) -> list[Idea]:
    """Submitted ideas this member can see that look like the one being written, most alike first."""
    text = f"{title} {problem}".strip()
    if len(text) < 4:
        return []
    ideas = Idea.objects.visible_to(member).exclude(status=IdeaStatus.DRAFT).filter(is_hidden=False)
    if exclude:
        ideas = ideas.exclude(pk=exclude)
    if _postgres():
        # Candidates share key words of the title (or of the problem, for a short title): an index-served match
        # on the stored document that finds near duplicates however they are worded. Three shared words first,
        # which few ideas have; two when that finds too few, since a pair of common words can match thousands.
        key = words(title, 6) or words(problem, 4)
        if not key:
            return []
        visible = filter_sql(ideas)
        if visible is None:  # visible_to grew a join: let the ORM write the whole query
            return _similar_by_orm(ideas, key, title=title, text=text)
        everything = " OR ".join(words(text))
        found: list[Idea] = []
        for at_least in (3, 2) if len(key) > 3 else (2,):
            found = _similar_by_sql(visible, _sharing(key, at_least), title=title or text, everything=everything)
            if len(found) == SIMILAR_LIMIT:
                break
        return found
    terms = words(text)
    if not terms:
        return []
    title_terms = set(words(title))
    match = Q()
    for term in terms:
        match |= Q(title__icontains=term) | Q(problem__icontains=term)
    candidates = list(ideas.select_related("organisation").filter(match).order_by("-pk")[:200])
    scored = []
    for idea in candidates:
        idea_title, idea_problem = set(words(idea.title, 40)), set(words(idea.problem, 200))
        score = sum(3 if t in idea_title and t in title_terms else 2 if t in idea_title else 0 for t in terms)
        score += sum(1 for t in terms if t in idea_problem)
        idea.similarity = score / (3 * len(terms))
        scored.append(idea)
    scored.sort(key=lambda i: (-i.similarity, -i.endorsement_count, -i.pk))
    return [i for i in scored if i.similarity >= SIMILARITY_FLOOR][:SIMILAR_LIMIT]
