"""How people take part in an idea: endorsements, comments, follows, and reports to the moderators."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from innovation.models.ideas import Idea
from innovation.querysets import CommentQuerySet
from odp.models import Member

COMMENT_MAX = 2000


class Endorsement(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="endorsements")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="endorsements")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["idea", "member"], name="endorsement_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} endorses {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="idea_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["idea", "member"], name="follow_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.idea_id}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="idea_comments")
    body = models.TextField(max_length=COMMENT_MAX, validators=[MaxLengthValidator(COMMENT_MAX)])
    created_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True, default="")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "created_at"], name="comment_idea_idx")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.idea_id}"


class Report(models.Model):
    """Someone asks the moderators to look at an idea or a comment. Exactly one of the two is set."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        HIDDEN = "hidden", "Hidden"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    resolved_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(comment__isnull=True))
                | (Q(idea__isnull=True) & Q(comment__isnull=False)),
                name="report_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="report_has_reason"),
        ]

    def __str__(self) -> str:
        target = f"idea {self.idea_id}" if self.idea_id else f"comment {self.comment_id}"
        return f"Report on {target} ({self.outcome})"
