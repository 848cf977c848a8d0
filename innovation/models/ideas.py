"""Ideas, their themes, the review workflow's states and the timeline each idea keeps."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from innovation.querysets import IdeaQuerySet
from odp.models import Member, Organisation

TITLE_MAX = 150
TEXT_MAX = 5000
# A TextField's max_length is only a form hint: this makes full_clean() enforce it.
TEXT_LIMIT = MaxLengthValidator(TEXT_MAX)


class Visibility(models.TextChoices):
    ORGANISATION = "organisation", "My organisation"
    CIVIL_SERVICE = "civil_service", "All of government"
    PARTNERS = "partners", "Shared with local government and partners"


class ServiceArea(models.TextChoices):
    BENEFITS = "benefits", "Benefits and pensions"
    BORDERS = "borders", "Borders and immigration"
    PASSPORTS = "passports", "Passports and identity"
    TAX = "tax", "Tax and customs"
    JUSTICE = "justice", "Courts, prisons and probation"
    LICENSING = "licensing", "Driver and vehicle licensing"
    CONTACT_CENTRES = "contact_centres", "Contact centres"
    CASEWORK = "casework", "Casework and decisions"
    LOCAL_SERVICES = "local_services", "Local services"
    OTHER = "other", "Other"


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    ACCEPTED = "accepted", "Accepted"
    NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"
    ROUTED = "routed", "Routed to another organisation"
    MERGED = "merged", "Merged as a duplicate"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    BENEFITS_REALISED = "benefits_realised", "Benefits realised"

    @classmethod
    def awaiting_decision(cls) -> list[str]:
        """In a reviewer's queue: a decision is owed by the due date."""
        return [cls.SUBMITTED, cls.UNDER_REVIEW, cls.ROUTED]

    @classmethod
    def decisions(cls) -> list[str]:
        return [cls.ACCEPTED, cls.NOT_TAKEN_FORWARD, cls.ROUTED, cls.MERGED]

    @classmethod
    def shared(cls) -> list[str]:
        """Everything but drafts: what others may see, subject to visibility."""
        return [s for s in cls.values if s != cls.DRAFT]


# The workflow, as data: from each state, the states it may move to. Nothing else changes a status.
TRANSITIONS: dict[str, frozenset[str]] = {
    IdeaStatus.DRAFT: frozenset({IdeaStatus.SUBMITTED}),
    IdeaStatus.SUBMITTED: frozenset({IdeaStatus.UNDER_REVIEW}),
    IdeaStatus.UNDER_REVIEW: frozenset(IdeaStatus.decisions()),
    IdeaStatus.ROUTED: frozenset({IdeaStatus.UNDER_REVIEW}),
    IdeaStatus.ACCEPTED: frozenset({IdeaStatus.IN_PROGRESS}),
    IdeaStatus.IN_PROGRESS: frozenset({IdeaStatus.IMPLEMENTED}),
    IdeaStatus.IMPLEMENTED: frozenset({IdeaStatus.BENEFITS_REALISED}),
    IdeaStatus.NOT_TAKEN_FORWARD: frozenset(),
    IdeaStatus.MERGED: frozenset(),
    IdeaStatus.BENEFITS_REALISED: frozenset(),
}


class Theme(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)  # given on submission
    title = models.CharField(max_length=TITLE_MAX)
    # Drafts may be saved at any step, so only the title is needed until the idea is submitted.
    problem = models.TextField(
        max_length=TEXT_MAX,
        blank=True,
        default="",
        validators=[TEXT_LIMIT],
        help_text="The problem and who it affects.",
    )
    proposed_change = models.TextField(max_length=TEXT_MAX, blank=True, default="", validators=[TEXT_LIMIT])
    hours_saved_per_year = models.PositiveIntegerField(null=True, blank=True)
    cost_saved_per_year = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    customer_outcome = models.TextField(max_length=TEXT_MAX, blank=True, default="", validators=[TEXT_LIMIT])
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices, blank=True, default="")
    themes = models.ManyToManyField(Theme, blank=True, related_name="ideas")
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.CIVIL_SERVICE)
    # The organisation that owes the decision: the author's at first, another one's once routed there.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ideas")
    origin_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ideas")
    status = models.CharField(max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision_due_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    endorsement_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True, default="")
    # Title and problem as a full-text document, kept by a PostgreSQL trigger (migration 0006); unused on SQLite.
    search_document = SearchVectorField(null=True, blank=True, editable=False)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "decision_due_on"], name="idea_queue_idx"),
            models.Index(fields=["status", "visibility", "-submitted_at"], name="idea_browse_idx"),
            # The browse sorts (selectors.SORTS), so the first page walks an index instead of sorting every
            # visible idea (measured by benchmarks/ideas.py).
            models.Index(fields=["-submitted_at", "-id"], name="idea_newest_idx"),
            models.Index(fields=["-endorsement_count", "-submitted_at", "-id"], name="idea_endorsed_idx"),
            # "Recently decided" sorts with NULLS LAST, which SQLite cannot index: migration 0008 adds that
            # index on PostgreSQL only.
            # A year's ideas by submission or decision date, for the dashboards and the annual report's figures:
            # covering indexes (INCLUDE), PostgreSQL only, in migration 0010.
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False), name="idea_reference_once_submitted"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="idea_merged_has_target"
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("pk")), name="idea_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    @property
    def is_draft(self) -> bool:
        return self.status == IdeaStatus.DRAFT

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


class ReferenceCounter(models.Model):
    """The last reference number given in a year, locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class IdeaEvent(models.Model):
    """The timeline the author and readers see: status changes with who, when and the note given."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        STATUS = "status", "Status changed"
        ROUTED = "routed", "Routed"
        MERGED_IN = "merged_in", "Duplicate merged in"
        BENEFIT = "benefit", "Benefit recorded"
        HIDDEN = "hidden", "Hidden by a moderator"
        RESTORED = "restored", "Restored by a moderator"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=IdeaStatus.choices, blank=True, default="")
    to_status = models.CharField(max_length=20, choices=IdeaStatus.choices, blank=True, default="")
    note = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.kind} {self.from_status}->{self.to_status}"


class Decision(models.Model):
    """A reviewer's decision with the feedback the author reads. An idea routed on gets a later one too."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=[(s, IdeaStatus(s).label) for s in IdeaStatus.decisions()])
    feedback = models.TextField(max_length=TEXT_MAX, validators=[TEXT_LIMIT])
    reason = models.CharField(max_length=500, blank=True, default="")  # required when not taken forward
    decided_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    routed_to = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merged_into = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="not_taken_forward") | ~Q(reason=""), name="decision_ntf_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="routed") | Q(routed_to__isnull=False), name="decision_routed_has_target"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="merged") | Q(merged_into__isnull=False), name="decision_merged_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.outcome}"
