"""Write the demo plan to the database: idempotent, deterministic and quick.

Every record is keyed on a natural key (organisation slug, username, member's user, role assignment's
member/role/organisation). A run creates what is missing and corrects what has drifted; a second run finds
nothing to do and writes nothing, not even an audit event. Members go in with ``bulk_create`` and
``bulk_update`` (a few queries for the lot), which bypasses the per-record audit signals: one summary
audit event records the run instead."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from odp.audit import acting_as
from odp.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, ORGANISATIONS
from odp.demo.plan import PersonPlan, build_people
from odp.models import AuditEvent, Member, Organisation, RoleAssignment, User

BATCH_SIZE = 500
_USER_FIELDS = ("first_name", "last_name", "email", "is_active")
_MEMBER_FIELDS = ("organisation_id", "grade", "job_family", "role_level", "region", "is_active")


class DemoRefused(ImproperlyConfigured):
    """Demo data, with its published shared password, belongs only in the embedded profile."""


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    passwords_set: int = 0
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or self.passwords_set > 0


def _counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "members": Member.objects.count(),
        "role_assignments": RoleAssignment.objects.count(),
    }


def _differs(obj: Any, desired: dict[str, Any]) -> bool:
    changed = False
    for name, value in desired.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert_organisations(result: SeedResult) -> dict[str, int]:
    """Organisations one by one (a few dozen), so each create or correction gets its own audit event."""
    slugs = [spec.slug for spec in ORGANISATIONS]
    names = [spec.name for spec in ORGANISATIONS]
    by_slug = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    ids: dict[str, int] = {}
    created = updated = 0
    for spec in ORGANISATIONS:
        desired = {
            "name": spec.name,
            "short_name": spec.short_name,
            "slug": spec.slug,
            "kind": spec.kind,
            "parent_id": ids[spec.parent] if spec.parent else None,
        }
        organisation = by_slug.get(spec.slug) or by_name.get(spec.name)
        if organisation is None:
            organisation = Organisation.objects.create(**desired)
            created += 1
        elif _differs(organisation, desired):
            organisation.save()
            updated += 1
        ids[spec.slug] = organisation.pk
    result.created["organisations"] = created
    result.updated["organisations"] = updated
    return ids


def _upsert_users(people: list[PersonPlan], result: SeedResult) -> dict[str, int]:
    existing = {u.username: u for u in User.objects.filter(username__in=[p.username for p in people])}
    to_create: list[User] = []
    to_update: list[User] = []
    for person in people:
        desired = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "is_active": True,
        }
        user = existing.get(person.username)
        if user is None:
            user = User(username=person.username, **desired)
            # Generated members never sign in with a password; named accounts get the demo one below.
            user.set_unusable_password()
            to_create.append(user)
        elif _differs(user, desired):
            to_update.append(user)
    User.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    User.objects.bulk_update(to_update, _USER_FIELDS, batch_size=BATCH_SIZE)
    result.created["users"] = len(to_create)
    result.updated["users"] = len(to_update)
    return dict(User.objects.filter(username__in=[p.username for p in people]).values_list("username", "pk"))


def _upsert_members(
    people: list[PersonPlan], user_ids: dict[str, int], organisation_ids: dict[str, int], result: SeedResult
) -> tuple[dict[str, int], set[str]]:
    """Members by username, and the usernames of those created in this run."""
    existing = {m.user_id: m for m in Member.objects.filter(user_id__in=user_ids.values())}
    to_create: list[Member] = []
    to_update: list[Member] = []
    for person in people:
        desired = {
            "organisation_id": organisation_ids[person.organisation],
            "grade": person.grade,
            "job_family": person.job_family,
            "role_level": person.role_level,
            "region": person.region,
            "is_active": True,
        }
        member = existing.get(user_ids[person.username])
        if member is None:
            to_create.append(Member(user_id=user_ids[person.username], **desired))
        elif _differs(member, desired):
            to_update.append(member)
    Member.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Member.objects.bulk_update(to_update, _MEMBER_FIELDS, batch_size=BATCH_SIZE)
    result.created["members"] = len(to_create)
    result.updated["members"] = len(to_update)
    ids = dict(Member.objects.filter(user_id__in=user_ids.values()).values_list("user__username", "pk"))
    return ids, {p.username for p in people if user_ids[p.username] not in existing}


def _link_line_managers(
    people: list[PersonPlan], member_ids: dict[str, int], new: set[str], result: SeedResult
) -> None:
    """Second pass, once every member has a key. Links on members created this run are not "updates"."""
    current = dict(Member.objects.filter(pk__in=member_ids.values()).values_list("pk", "line_manager_id"))
    new_pks = {member_ids[username] for username in new}
    to_update = []
    for person in people:
        pk = member_ids[person.username]
        wanted = member_ids[person.manager] if person.manager else None
        if current[pk] != wanted:
            to_update.append(Member(pk=pk, line_manager_id=wanted))
    Member.objects.bulk_update(to_update, ["line_manager_id"], batch_size=BATCH_SIZE)
    result.updated["line_managers"] = sum(1 for m in to_update if m.pk not in new_pks)


def _grant_roles(member_ids: dict[str, int], organisation_ids: dict[str, int], result: SeedResult) -> None:
    created = 0
    for account in DEMO_ACCOUNTS:
        for role, organisation in account.roles:
            _, was_created = RoleAssignment.objects.get_or_create(
                member_id=member_ids[account.username],
                role=role,
                organisation_id=organisation_ids[organisation] if organisation else None,
            )
            created += was_created
    result.created["role_assignments"] = created


def _set_demo_passwords(usernames: Iterable[str], result: SeedResult) -> None:
    """Give the named accounts the demo password, hashing it at most once per run.

    The accounts share one hash (and so one salt): acceptable for a password that is published anyway,
    and it keeps a run to a single slow hash instead of one per account."""
    users = list(User.objects.filter(username__in=list(usernames)).only("pk", "password"))
    verified: dict[str, bool] = {}
    stale = []
    for user in users:
        if user.password not in verified:
            # Django hashes even for unusable passwords (against timing attacks): skip those, they never match.
            verified[user.password] = is_password_usable(user.password) and check_password(DEMO_PASSWORD, user.password)
        if not verified[user.password]:
            stale.append(user)
    if stale:
        encoded = make_password(DEMO_PASSWORD)
        for user in stale:
            user.password = encoded
        User.objects.bulk_update(stale, ["password"])
    result.passwords_set = len(stale)


def _record_summary(result: SeedResult) -> None:
    """One audit event for the run, since bulk writes bypass the per-record signals.

    ``audit.record`` needs a saved object and no single record stands for a seed run, so the event is
    written directly: it is about members in general (no object id), with before/after counts as changes."""
    AuditEvent.objects.create(
        actor=None,
        action=AuditEvent.Action.CREATE if any(result.created.values()) else AuditEvent.Action.UPDATE,
        object_type="odp.member",
        object_id="",
        object_repr="Demo data (seed_demo)",
        changes={name: [result.counts_before[name], result.counts_after[name]] for name in result.counts_after},
        note=(
            "Demo data seeded by manage.py seed_demo (embedded profile). "
            f"Created: {result.created}. Updated: {result.updated}. Demo passwords set: {result.passwords_set}."
        ),
    )


def seed() -> SeedResult:
    """Create or correct the demo organisations, members, role assignments and sign-ins."""
    if not settings.ODP_EMBEDDED:
        raise DemoRefused(
            "Demo data is only for the embedded/dev profile (settings.ODP_EMBEDDED is False here). "
            "It publishes a shared password, so it is never loaded into a production-like database."
        )
    result = SeedResult()
    people = build_people()
    # No person is behind a seed run: audited saves record the system (no actor), whoever calls this.
    with transaction.atomic(), acting_as(None):
        result.counts_before = _counts()
        organisation_ids = _upsert_organisations(result)
        user_ids = _upsert_users(people, result)
        member_ids, new_members = _upsert_members(people, user_ids, organisation_ids, result)
        _link_line_managers(people, member_ids, new_members, result)
        _grant_roles(member_ids, organisation_ids, result)
        _set_demo_passwords((a.username for a in DEMO_ACCOUNTS), result)
        result.counts_after = _counts()
        if result.changed:
            _record_summary(result)
    return result
