"""What happens during a plan's year: its three monitoring meetings with their agendas and action
items, and what it spends (imported or entered expenditures, each charged to a budget item)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from alliance.lib.indexes import BlockRangeIndex
from alliance.monitoring.expenditures import LENGTHS
from alliance.monitoring.items import item_key
from alliance.monitoring.rules import monitoring_rules
from alliance.plans.models import MONEY, BudgetLine, Goal, Plan, Position, Strategy, Versioned


class ExpenditureImport(models.Model):
    """One file loaded into a plan's expenditures; the same file twice is refused."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="expenditure_imports")
    file_name = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    mapping: models.JSONField[dict[str, str]] = models.JSONField(
        help_text="{field: the file's column}"
    )
    rows = models.PositiveIntegerField()
    total = models.DecimalField(**MONEY)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "fingerprint"], name="expenditure_file_once")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows} rows)"


class ItemKind(models.TextChoices):
    LINE = "line", "Budget line"
    SALARY = "salary", "Position salary"
    BENEFITS = "benefits", "Position benefits"


class Expenditure(models.Model):
    """One payment charged (or waiting to be charged) to a budget item.

    A finance export brings 100,000 of these at once, so the table is built for bulk loads: its
    references are not foreign-key constraints in the database, and it has one block-range (BRIN)
    index instead of a B-tree per reference. PostgreSQL checks a foreign key with one query per
    row (1.8 s for 100,000 rows with five keys), and each B-tree adds about 0.1 s; see
    bench/README.md. The references stay whole because every write goes through
    `monitoring.services`, which charges rows only to the plan's own items while holding the plan's
    lock, the lock plan edits take before deleting a line or position (`plans.services.plan_lock`);
    Django still refuses to delete an item with expenditures (PROTECT) and deletes a plan's or an
    import's expenditures with it (CASCADE).
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="expenditures", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    source = models.ForeignKey(
        ExpenditureImport, on_delete=models.CASCADE, null=True, blank=True,
        related_name="expenditures", help_text="Blank for an expenditure entered by hand.",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    row = models.PositiveIntegerField(null=True, blank=True, help_text="The file's row.")
    day = models.DateField()
    object_code = models.CharField(max_length=LENGTHS["object_code"])
    description = models.CharField(max_length=LENGTHS["description"])
    vendor = models.CharField(max_length=LENGTHS["vendor"], blank=True)
    amount = models.DecimalField(**MONEY)
    # The budget item it is charged to; blank until matched or assigned.
    kind = models.CharField(max_length=10, choices=ItemKind.choices, blank=True)
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="expenditures",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="expenditures",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip

    class Meta:
        ordering = ["plan", "day", "id"]
        indexes = [
            BlockRangeIndex(
                fields=["plan", "source", "line", "position", "day"],
                name="expenditure_ranges",
                autosummarize=True,
            )
        ]
        constraints = [
            models.CheckConstraint(
                name="expenditure_item_is_whole",
                condition=(
                    Q(kind="", line__isnull=True, position__isnull=True)
                    | Q(kind="line", line__isnull=False, position__isnull=True)
                    | Q(kind__in=["salary", "benefits"], line__isnull=True, position__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.description}: {self.amount}"

    @property
    def item_key(self) -> str:
        """The budget item's key, as the spend-down and matching name it ("" when unmatched)."""
        return item_key(self.kind, self.line_id, self.position_id)


class PendingUpload(models.Model):
    """A file uploaded and waiting for its column mapping (the import's second step)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.file_name


MEETINGS = [(m.code, m.name) for m in monitoring_rules().meetings]


class Meeting(Versioned):
    """One of the year's three monitoring meetings of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    code = models.CharField(max_length=10, choices=MEETINGS)
    day = models.DateField(help_text="The meeting's date.")
    held = models.BooleanField(default=False)
    attendees = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="meeting_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}, {self.day:%B %-d, %Y}"


class Side(models.TextChoices):
    STATE = "state", "CSDE"
    DISTRICT = "district", "District"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    strategy = models.ForeignKey(
        Strategy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "added_at", "id"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionItem(Versioned):
    """Something to do by a date; it comes to every later meeting until it is closed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="action_items")
    raised_at = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="raised")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=120, help_text="Who does it.")
    side = models.CharField(max_length=10, choices=Side.choices)
    due = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_at = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="closed",
        help_text="The meeting at which it was closed, if it was closed at one.",
    )  # fmt: skip
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "due", "id"]

    def __str__(self) -> str:
        return self.title

    def overdue(self, today: dt.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due < today


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


def evidence_path(entry: ProgressEntry, filename: str) -> str:
    plan = entry.meeting.plan
    return f"evidence/{plan.district.code}/fy{plan.fiscal_year}/{entry.meeting.code}/{filename}"


class ProgressEntry(Versioned):
    """The value a goal reached by a meeting, as the district reports it."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="progress")
    value = models.DecimalField(max_digits=12, decimal_places=4)
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    # A reviewer may judge otherwise than the target path does, saying why.
    override = models.CharField(max_length=10, choices=ProgressStatus.choices, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["goal", "meeting__day"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "meeting"], name="progress_once_per_meeting"),
            models.CheckConstraint(
                name="progress_override_says_why",
                condition=Q(override="") | ~Q(override_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal} at the {self.meeting.get_code_display()}: {self.value}"


REVIEW_OUTCOMES = [(r.code, r.name) for r in monitoring_rules().recommendations]


class ReviewStage(models.TextChoices):
    SCORED = "scored", "Scored by the reviewer"
    DECIDED = "decided", "Decided by the Commissioner"


class AnnualReview(Versioned):
    """The year's rubric scored by a reviewer, the recommendation it gives, and the Commissioner's
    decision whether funding continues."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="annual_review")
    scores: models.JSONField[dict[str, dict[str, object]]] = models.JSONField(
        help_text="{criterion: {score, comment}}"
    )
    average = models.DecimalField(max_digits=4, decimal_places=2)
    recommendation = models.CharField(max_length=30, choices=REVIEW_OUTCOMES)
    stage = models.CharField(max_length=10, choices=ReviewStage.choices)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField()
    decision = models.CharField(max_length=30, choices=REVIEW_OUTCOMES, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.plan} annual review"
