"""What ideas delivered: measured benefits, case studies others learn from, and adoption elsewhere."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from innovation.models.ideas import TEXT_LIMIT, TEXT_MAX, Idea
from innovation.querysets import CaseStudyQuerySet
from odp.models import Member, Organisation


class BenefitMeasure(models.Model):
    """A measured benefit: the baseline recorded on acceptance, the realised value once implemented."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="benefit_measures")
    measure = models.CharField(max_length=200, help_text="What will be measured, e.g. average days to decide.")
    unit = models.CharField(max_length=40, blank=True, default="")
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_recorded_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    baseline_recorded_at = models.DateTimeField(default=timezone.now)
    realised_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    realised_recorded_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    realised_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.baseline_value} -> {self.realised_value}"


class CaseStudyAudience(models.TextChoices):
    ORGANISATION = "organisation", "My organisation"
    CIVIL_SERVICE = "civil_service", "All of government"
    PARTNERS = "partners", "Shared with local government and partners"
    PUBLIC = "public", "Everyone, on the public pages"


class CaseStudy(models.Model):
    """What an implemented idea did, written up so other organisations can learn from it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    idea = models.OneToOneField(Idea, on_delete=models.PROTECT, related_name="case_study")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300)
    challenge = models.TextField(max_length=TEXT_MAX, validators=[TEXT_LIMIT])
    approach = models.TextField(max_length=TEXT_MAX, validators=[TEXT_LIMIT])
    results = models.TextField(max_length=TEXT_MAX, validators=[TEXT_LIMIT])
    contact = models.CharField(max_length=200, help_text="Who to contact to find out more.")
    audience = models.CharField(max_length=20, choices=CaseStudyAudience.choices, default=CaseStudyAudience.PUBLIC)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="case_studies")
    written_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title


class Adoption(models.Model):
    """'We adopted this': another organisation took an idea up, with the benefits it measured."""

    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="adoptions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="adoptions")
    recorded_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField()
    notes = models.TextField(max_length=TEXT_MAX, blank=True, default="", validators=[TEXT_LIMIT])
    hours_saved_per_year = models.PositiveIntegerField(null=True, blank=True)
    cost_saved_per_year = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "organisation"], name="adoption_once_per_organisation"),
            models.CheckConstraint(
                condition=Q(hours_saved_per_year__isnull=True) | Q(hours_saved_per_year__gte=0),
                name="adoption_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} adopted {self.idea_id}"
