"""How a member hears about ideas by email: one email for each notification, or one digest a day."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from odp.models import Member, Notification


class EmailFrequency(models.TextChoices):
    EACH = "each", "One email for each update"
    DAILY = "daily", "A daily digest"


class EmailPreference(models.Model):
    """A member's choice; members without one get an email for each update."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="idea_email_preference")
    frequency = models.CharField(max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.EACH)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.frequency}"


class Digest(models.Model):
    """The one digest email a member gets on a day. Unique per member and day, so a re-run sends nothing twice."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="idea_digests")
    day = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    entries_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "pk"]
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="digest_one_per_member_day")]

    def __str__(self) -> str:
        return f"Digest for {self.member_id} on {self.day}"


class DigestEntry(models.Model):
    """An ideas notification held back from email until the member's next daily digest."""

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["member", "digest"], name="digest_entry_pending_idx")]

    def __str__(self) -> str:
        return f"Digest entry {self.notification_id} for {self.member_id}"
