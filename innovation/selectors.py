"""Reads composed for pages and the API. Every one starts from a ``visible_to``/``reviewable_by`` queryset.

Search and similar ideas use PostgreSQL full-text search on a stored, weighted document (kept by a trigger,
GIN-indexed, migrations 0006 and 0007) and trigram similarity on titles (``pg_trgm``, migration 0002). On
SQLite, the embedded default, they fall back to matching words. ``python -m benchmarks.ideas`` measures them
at 100,000 ideas."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
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


def organisations_with_ideas() -> list[tuple[int, str]]:
    """The browse page's organisation filter: (id, name) of each organisation with any idea, by name. One index
    probe per organisation (a join of every idea with DISTINCT took 70 to 130 ms at 100,000 ideas, on every page
    view); ids and names rather than model instances, which cost more than the query to build."""
    with_ideas = Organisation.objects.filter(Exists(Idea.objects.filter(organisation=OuterRef("pk"))))
    return list(with_ideas.order_by("name").values_list("pk", "name"))


def browse(member: Member, filters: IdeaFilters) -> QuerySet[Idea]:
    """Submitted ideas this member can see, filtered, searched and sorted. Drafts are listed elsewhere."""
    ideas = Idea.objects.visible_to(member).exclude(status=IdeaStatus.DRAFT).filter(is_hidden=False)
    if filters.theme:
        ideas = ideas.filter(themes__slug=filters.theme)
    if filters.organisation:
        ideas = ideas.filter(organisation_id=filters.organisation)
    if filters.status:
        ideas = ideas.filter(status=filters.status)
    if filters.service_area:
        ideas = ideas.filter(service_area=filters.service_area)
    ideas = ideas.select_related("organisation").prefetch_related("themes")
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


def _sharing(key: list[str], at_least: int) -> SearchQuery:
    """A document sharing at least ``at_least`` of the key words (all of them when there are fewer)."""
    if len(key) <= at_least:
        return SearchQuery(" ".join(key), config="english", search_type="plain")
    groups = " | ".join(f"({' & '.join(group)})" for group in itertools.combinations(key, at_least))
    return SearchQuery(groups, config="english", search_type="raw")


def paginate(ideas: QuerySet[Idea], page: int | str | None, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(ideas, per_page).get_page(page)


def similar_ideas(member: Member, *, title: str, problem: str = "", exclude: int | None = None) -> list[Idea]:
    """Submitted ideas this member can see that look like the one being written, most alike first."""
    text = f"{title} {problem}".strip()
    if len(text) < 4:
        return []
    ideas = Idea.objects.visible_to(member).exclude(status=IdeaStatus.DRAFT).filter(is_hidden=False)
    if exclude:
        ideas = ideas.exclude(pk=exclude)
    ideas = ideas.select_related("organisation")
    if _postgres():
        # Candidates share key words of the title (or of the problem, for a short title): an index-served match
        # on the stored document that finds near duplicates however they are worded. Three shared words first,
        # which few ideas have; two when that finds too few, since a pair of common words can match thousands.
        key = words(title, 6) or words(problem, 4)
        if not key:
            return []
        everything = SearchQuery(" OR ".join(words(text)), config="english", search_type="websearch")
        score = TrigramSimilarity("title", title or text) + Coalesce(
            SearchRank(F("search_document"), everything), Value(0.0)
        )
        found: list[Idea] = []
        for at_least in (3, 2) if len(key) > 3 else (2,):
            # Two steps, because the title's trigram similarity is costly: the best CANDIDATES by the cheap
            # full-text rank, then the full score on those.
            shortlist = (
                ideas.filter(search_document=_sharing(key, at_least))
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
    terms = words(text)
    if not terms:
        return []
    title_terms = set(words(title))
    match = Q()
    for term in terms:
        match |= Q(title__icontains=term) | Q(problem__icontains=term)
    candidates = list(ideas.filter(match).order_by("-pk")[:200])
    scored = []
    for idea in candidates:
        idea_title, idea_problem = set(words(idea.title, 40)), set(words(idea.problem, 200))
        score = sum(3 if t in idea_title and t in title_terms else 2 if t in idea_title else 0 for t in terms)
        score += sum(1 for t in terms if t in idea_problem)
        idea.similarity = score / (3 * len(terms))
        scored.append(idea)
    scored.sort(key=lambda i: (-i.similarity, -i.endorsement_count, -i.pk))
    return [i for i in scored if i.similarity >= SIMILARITY_FLOOR][:SIMILAR_LIMIT]
