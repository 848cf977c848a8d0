"""Core domain: organisations, people, roles, the audit trail and the task outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from odp.querysets import MemberQuerySet, OrganisationQuerySet

if TYPE_CHECKING:
    from collections.abc import Iterable


class User(AbstractUser):
    """A sign-in identity. Single sign-on users are keyed on their identity provider's issuer and subject."""

    oidc_issuer = models.CharField(max_length=255, blank=True, default="")
    oidc_subject = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="user_unique_oidc_identity",
            )
        ]


class OrganisationKind(models.TextChoices):
    MINISTERIAL_DEPARTMENT = "ministerial_department", "Ministerial department"
    NON_MINISTERIAL_DEPARTMENT = "non_ministerial_department", "Non-ministerial department"
    EXECUTIVE_AGENCY = "executive_agency", "Executive agency"
    ARMS_LENGTH_BODY = "arms_length_body", "Arm's-length body"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PRIVATE_PARTNER = "private_partner", "Private partner"

    @classmethod
    def central_government(cls) -> list[str]:
        return [
            cls.MINISTERIAL_DEPARTMENT,
            cls.NON_MINISTERIAL_DEPARTMENT,
            cls.EXECUTIVE_AGENCY,
            cls.ARMS_LENGTH_BODY,
        ]


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True, default="")
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="organisation_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_central_government(self) -> bool:
        return self.kind in OrganisationKind.central_government()

    def subtree_ids(self) -> set[int]:
        """This organisation and every body below it, at any depth."""
        return Organisation.objects.subtree_ids([self.pk])


class Grade(models.TextChoices):
    """Civil service grades in order of seniority."""

    AA = "AA", "Administrative Assistant (AA)"
    AO = "AO", "Administrative Officer (AO)"
    EO = "EO", "Executive Officer (EO)"
    HEO = "HEO", "Higher Executive Officer (HEO)"
    SEO = "SEO", "Senior Executive Officer (SEO)"
    G7 = "G7", "Grade 7"
    G6 = "G6", "Grade 6"
    SCS1 = "SCS1", "Senior Civil Service 1 (Deputy Director)"
    SCS2 = "SCS2", "Senior Civil Service 2 (Director)"
    SCS3 = "SCS3", "Senior Civil Service 3 (Director General)"


class JobFamily(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", "Customer service"
    CASEWORK = "casework", "Casework and decision making"
    BORDER_AND_SECURITY = "border_security", "Border and security operations"
    CUSTODY_AND_PROBATION = "custody_probation", "Custody and probation"
    COMPLIANCE = "compliance", "Compliance and enforcement"
    OPERATIONAL_MANAGEMENT = "operational_management", "Operational management"
    PLANNING_AND_PERFORMANCE = "planning_performance", "Planning and performance"
    OPERATIONAL_IMPROVEMENT = "operational_improvement", "Operational improvement"


class RoleLevel(models.IntegerChoices):
    """How far along a job family someone is: kept apart from grade, which varies by department."""

    ENTRY = 1, "Entry"
    PRACTITIONER = 2, "Practitioner"
    SENIOR_PRACTITIONER = 3, "Senior practitioner"
    LEADER = 4, "Leader"
    SENIOR_LEADER = 5, "Senior leader"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    OVERSEAS = "overseas", "Overseas"


class Member(models.Model):
    """A person in the profession (or a partner organisation), with their place in it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="member")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    grade = models.CharField(max_length=4, choices=Grade.choices)
    job_family = models.CharField(max_length=40, choices=JobFamily.choices)
    role_level = models.PositiveSmallIntegerField(choices=RoleLevel.choices, default=RoleLevel.PRACTITIONER)
    line_manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    region = models.CharField(max_length=20, choices=Region.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["organisation", "grade"])]
        constraints = [
            models.CheckConstraint(condition=~Q(line_manager=models.F("pk")), name="member_not_own_manager"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    # What this person may see and do is answered in one place: odp.access.
    @property
    def roles(self) -> frozenset[str]:
        from odp.access import roles_of

        return roles_of(self)

    @property
    def is_odp_admin(self) -> bool:
        return Role.ODP_ADMIN in self.roles

    @property
    def is_line_manager(self) -> bool:
        return Role.LINE_MANAGER in self.roles

    def reviewable_organisations(self) -> Iterable[int]:
        from odp.access import head_of_profession_organisation_ids

        return head_of_profession_organisation_ids(self)

    def requester_organisations(self) -> Iterable[int]:
        from odp.access import requester_organisation_ids

        return requester_organisation_ids(self)


class Role(models.TextChoices):
    STAFF = "staff", "Staff member"
    LINE_MANAGER = "line_manager", "Line manager"
    HEAD_OF_PROFESSION = "head_of_profession", "Head of profession"
    ODP_ADMIN = "odp_admin", "ODP admin"
    SRRT_COORDINATOR = "srrt_coordinator", "SRRT coordinator"
    SRRT_RESPONDER = "srrt_responder", "SRRT responder"
    DEPARTMENT_REQUESTER = "department_requester", "Department requester"

    @classmethod
    def assignable(cls) -> list[str]:
        """Roles granted explicitly. Staff is every member; line manager follows from having reports."""
        return [r for r in cls.values if r not in (cls.STAFF, cls.LINE_MANAGER)]

    @classmethod
    def organisation_scoped(cls) -> list[str]:
        return [cls.HEAD_OF_PROFESSION, cls.DEPARTMENT_REQUESTER]


class RoleAssignment(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=[(r, Role(r).label) for r in Role.assignable()])
    # Set for head of profession (covering child bodies too) and department requester; empty otherwise.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "role", "organisation"], name="role_assignment_unique_with_org"),
            models.UniqueConstraint(
                fields=["member", "role"],
                condition=Q(organisation__isnull=True),
                name="role_assignment_unique_without_org",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=Role.organisation_scoped(), organisation__isnull=False)
                    | (~Q(role__in=Role.organisation_scoped()) & Q(organisation__isnull=True))
                ),
                name="role_assignment_organisation_matches_role",
            ),
        ]

    def __str__(self) -> str:
        label = Role(self.role).label
        return f"{label} ({self.organisation})" if self.organisation_id else label


class AuditEvent(models.Model):
    """An immutable record of a change: who, when, what, and the field values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        TRANSITION = "transition", "Status changed"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_OUT = "sign_out", "Signed out"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, db_index=True)  # "app_label.model"
    object_id = models.CharField(max_length=64, blank=True, default="")
    object_repr = models.CharField(max_length=200, blank=True, default="")
    changes = models.JSONField(default=dict, blank=True)  # {"field": [before, after]}
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are never deleted.")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class OutboxMessage(models.Model):
    """A task waiting to be published. Written in the caller's transaction, so the job is never lost."""

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=40, default="interactive")
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "id"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.status})"


class Notification(models.Model):
    """A message to a member, shown in the service and sent by email by a background job."""

    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject
