"""After approval: the deployment's actual figures and extensions, the close-out with its recommendations,
both sides' appraisals, and the ending-soon reminders already sent."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from odp.models import Member
from srrt.models.requests import TEXT_LIMIT, SurgeRequest
from srrt.models.roster import Assignment


class Deployment(models.Model):
    """What actually happened on an approved request: dates, effort and the cost recharged to the department.
    Cost is responder-days times the daily rate in force when tracking began (kept, so a later change of rate
    does not rewrite past recharges)."""

    request = models.OneToOneField(SurgeRequest, on_delete=models.PROTECT, related_name="deployment")
    actual_start_date = models.DateField()
    actual_end_date = models.DateField(null=True, blank=True)
    # The last day currently agreed: the request's expected end, moved on by extensions.
    planned_end_date = models.DateField()
    responder_days = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=9, decimal_places=1, default=Decimal("0"))
    daily_rate = models.DecimalField(max_digits=8, decimal_places=2)
    cost = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    updated_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["actual_start_date"], name="deployment_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=F("actual_start_date")),
                name="deployment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__gte=F("actual_start_date")), name="deployment_planned_end_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="deployment_hours_not_negative"),
            models.CheckConstraint(condition=Q(daily_rate__gte=0), name="deployment_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Deployment for {self.request}"


class Extension(models.Model):
    """A deployment kept on past its agreed end, and why."""

    request = models.ForeignKey(SurgeRequest, on_delete=models.PROTECT, related_name="extensions")
    previous_end_date = models.DateField()
    new_end_date = models.DateField()
    reason = models.TextField(validators=[TEXT_LIMIT])
    extended_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    extended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["extended_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end_date__gt=F("previous_end_date")), name="extension_moves_end_later"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} extended to {self.new_end_date}"

    @property
    def days(self) -> int:
        return (self.new_end_date - self.previous_end_date).days


class ObjectivesMet(models.TextChoices):
    YES = "yes", "Yes, all of them"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class CloseOut(models.Model):
    """The coordinator's record of what the deployment achieved and what was learned."""

    request = models.OneToOneField(SurgeRequest, on_delete=models.PROTECT, related_name="close_out")
    volumes_cleared = models.PositiveIntegerField()
    objectives_met = models.CharField(max_length=10, choices=ObjectivesMet.choices)
    outcomes = models.TextField(validators=[TEXT_LIMIT])
    lessons = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    recorded_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Close-out of {self.request}"


class Recommendation(models.Model):
    """Something the department should do to strengthen its own capability, so it needs the SRRT less."""

    request = models.ForeignKey(SurgeRequest, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField(validators=[TEXT_LIMIT])
    owner = models.CharField(max_length=150, help_text="Who in the department owns it, for example a job title")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    created_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="recommendation_has_text")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class AppraisalSide(models.TextChoices):
    COORDINATOR = "coordinator", "SRRT coordinator"
    REQUESTER = "requester", "Requesting department"


class Appraisal(models.Model):
    """How one side rated the deployment, 1 (poor) to 4 (very good). One per side."""

    SCALE = {1: "Poor", 2: "Fair", 3: "Good", 4: "Very good"}

    request = models.ForeignKey(SurgeRequest, on_delete=models.PROTECT, related_name="appraisals")
    side = models.CharField(max_length=12, choices=AppraisalSide.choices)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    comment = models.TextField(blank=True, default="", validators=[TEXT_LIMIT])
    given_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["side"]
        constraints = [
            models.UniqueConstraint(fields=["request", "side"], name="appraisal_once_per_side"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="appraisal_score_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.side}: {self.score}"

    @property
    def score_label(self) -> str:
        return f"{self.score} ({self.SCALE.get(self.score, '')})"


class EndingSoonReminder(models.Model):
    """One row per assignment per day a reminder went out: the unique key keeps a re-run from repeating it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "sent_on"], name="ending_soon_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} reminded {self.sent_on}"
