"""Career opportunities offered across central government, local government and partners, members' saved
opportunities, and the optional weekly email of new matching opportunities."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from odp.models import JobFamily, Member, Organisation
from skills.careers.querysets import OpportunityQuerySet
from skills.models.framework import RoleProfile


class OpportunityKind(models.TextChoices):
    ROLE = "role", "Role"
    SECONDMENT = "secondment", "Secondment"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    LEARNING_EVENT = "learning_event", "Learning event"


class OpportunityAudience(models.TextChoices):
    """Who may see an opportunity. Members of the offering organisation (and the bodies above and below it in
    its family) always can."""

    ORGANISATION = "organisation", "Members of the offering organisation only"
    CENTRAL_GOVERNMENT = "central_government", "All of central government"
    ACROSS_THE_DIVIDE = "across_the_divide", "Central and local government and partners"


class OpportunityStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


TITLE_MAX = 200


class Opportunity(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="opportunities")
    kind = models.CharField(max_length=20, choices=OpportunityKind.choices)
    summary = models.TextField(blank=True, default="")
    location = models.CharField(max_length=120, blank=True, default="")
    is_remote = models.BooleanField(default=False)
    grade = models.CharField(max_length=60, help_text="Grade or band, in the offering organisation's own terms.")
    closing_on = models.DateField()
    role_profile = models.ForeignKey(RoleProfile, on_delete=models.PROTECT, related_name="opportunities")
    apply_url = models.URLField(max_length=500, blank=True, default="")
    apply_contact = models.CharField(max_length=200, blank=True, default="")
    audience = models.CharField(max_length=20, choices=OpportunityAudience.choices)
    status = models.CharField(max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN)
    created_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closing_on", "pk"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["status", "closing_on"], name="opportunity_open_closing"),
            models.Index(fields=["audience", "status"], name="opportunity_audience"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(apply_url="") | ~Q(apply_contact=""), name="opportunity_has_way_to_apply"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="opportunity_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    @property
    def where(self) -> str:
        if self.is_remote and self.location:
            return f"{self.location} or remote"
        return "Remote" if self.is_remote else self.location


class SavedOpportunity(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="saved_opportunities")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="saves")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["member", "opportunity"], name="saved_opportunity_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} saved {self.opportunity_id}"


class OpportunityAlert(models.Model):
    """A member's choice to get a weekly email of new opportunities in the job families they are interested in."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="opportunity_alert")
    job_families = models.JSONField(default=list, help_text="Job family codes; the member's own when empty.")
    is_active = models.BooleanField(default=True)
    # New opportunities are those created after this moment; it moves forward with each email.
    since = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Alert for {self.member_id}"

    @property
    def families(self) -> list[str]:
        return list(self.job_families) or [self.member.job_family]

    @property
    def family_labels(self) -> list[str]:
        return [JobFamily(f).label for f in self.families if f in JobFamily.values]


class OpportunityDigest(models.Model):
    """One weekly email to one member: the unique week makes a re-run of the weekly job send nothing twice."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    week_starting = models.DateField()
    opportunity_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "week_starting"], name="opportunity_digest_weekly")]

    def __str__(self) -> str:
        return f"Digest for {self.member_id}, week of {self.week_starting}"
