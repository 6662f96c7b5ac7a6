"""The state's review of a plan: the checklist (editable by state admins), a decision per item
per plan, and comments threaded per plan section."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from alliance.plans.models import Plan, Versioned
from alliance.review.checklist import checklist_rules

SECTIONS = [(s.code, s.name) for s in checklist_rules().sections]


class ChecklistItem(Versioned):
    code = models.CharField(
        max_length=60, unique=True, help_text="Short and stable, e.g. budget.positions.",
        validators=[RegexValidator(r"^[a-z0-9_.-]+$", "Use lower-case letters, digits, . _ or -.")],
    )  # fmt: skip
    section = models.CharField(max_length=30, choices=SECTIONS)
    text = models.TextField()
    source = models.CharField(max_length=400, help_text="The statute or guidance it comes from.")
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Inactive items are kept for old reviews.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:80]}"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REVISE = "revise", "Revise"
    NOT_APPLICABLE = "na", "N/A"


class ReviewResponse(Versioned):
    """The reviewer's decision on one checklist item of one plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="review_responses")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="responses")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="review_response_once"),
            models.CheckConstraint(
                name="review_revise_says_what",
                condition=~Q(decision="revise") | ~Q(comment=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.get_decision_display()}"


class Comment(models.Model):
    """A remark on one section of a plan; a reply names the comment it answers."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=30, choices=SECTIONS)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.get_section_display()}: {self.body[:60]}"
