"""Plans and what they hold. Every editable row carries a version for optimistic concurrency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from alliance.lib import clock
from alliance.lib.fiscal import FiscalYear
from alliance.plans.catalog import catalog
from alliance.plans.transitions import DRAFT, STATUS_NAMES
from alliance.registry.models import District, School

_CATALOG = catalog()
FOCUS_AREAS = [(t.code, t.name) for t in _CATALOG.focus_areas]
EVIDENCE_LEVELS = [(t.code, t.name) for t in _CATALOG.evidence_levels]
STAFF_CATEGORIES = [(t.code, t.name) for t in _CATALOG.staff_categories]
LINE_AREAS = [(a.code, a.name) for a in _CATALOG.line_areas]
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
not_negative = MinValueValidator(Decimal(0), "An amount cannot be negative.")


PLAN_STATUSES = list(STATUS_NAMES.items())


class Versioned(models.Model):
    """A row two people may edit at once: saves state the version they started from."""

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=clock.now)  # every save sets it (see save)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = clock.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class Plan(Versioned):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="plans")
    fiscal_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=30, choices=PLAN_STATUSES, default=DRAFT)
    allocation = models.DecimalField(**MONEY, validators=[not_negative])
    allocation_source = models.CharField(max_length=300)
    benefits_rate = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="The district's benefits rate (0.3200 = 32%); positions may override it.",
    )
    illustrative = models.BooleanField(
        default=False, help_text="Demo content: pages say the split is illustrative."
    )
    created_at = models.DateTimeField(default=clock.now)
    status_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the plan last moved in its workflow."
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="The state reviewer who started the latest review.",
    )  # fmt: skip

    class Meta:
        ordering = ["district", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "fiscal_year"], name="plan_one_per_district_year"
            ),
            models.CheckConstraint(
                name="plan_allocation_not_negative", condition=Q(allocation__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district.short_name} FY{self.fiscal_year} Alliance plan"

    @property
    def fiscal(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)


class Strategy(Versioned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategies")
    focus_area = models.CharField(max_length=40, choices=FOCUS_AREAS)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=120, blank=True)
    evidence_level = models.CharField(max_length=10, choices=EVIDENCE_LEVELS, default="none")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the plan.")
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The strategy of last year's plan this one continues.",
    )  # fmt: skip
    to_review = models.BooleanField(
        default=False, help_text="Carried forward marked 'change': the district revises it."
    )

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title


class StrategySchool(models.Model):
    """A school a strategy serves, with the intervention tier it gets there."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="schools")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    tier = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["strategy", "school"], name="strategy_school_once"),
            models.CheckConstraint(
                name="strategy_school_tier_1_to_3", condition=Q(tier__gte=1, tier__lte=3)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} (tier {self.tier})"


class GoalMeasure(models.TextChoices):
    NGAS = "ngas", "NGAS indicator"
    LOCAL = "local", "Local measure"


class Goal(Versioned):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    measure = models.CharField(max_length=10, choices=GoalMeasure.choices)
    ngas_cell = models.CharField(
        max_length=40, blank=True, help_text="NGAS cell key, e.g. Ind1ELA_All."
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="For an NGAS goal: the school measured; blank for the district.",
    )  # fmt: skip
    description = models.CharField(max_length=300)
    student_group = models.CharField(max_length=80, default="All students")
    baseline = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    baseline_year = models.CharField(max_length=7, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=4)
    unit = models.CharField(max_length=40)
    fall = models.BooleanField(default=False)
    winter = models.BooleanField(default=False)
    spring = models.BooleanField(default=True)

    class Meta:
        ordering = ["strategy", "id"]
        constraints = [
            models.CheckConstraint(
                name="goal_ngas_names_a_cell",
                condition=Q(measure="local") | ~Q(ngas_cell=""),
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Position(Versioned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="positions")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(max_length=200)
    staff_category = models.CharField(max_length=20, choices=STAFF_CATEGORIES)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Blank for a district-wide position.",
    )  # fmt: skip
    fte = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), "FTE must be above 0."),
            MaxValueValidator(Decimal(1), "FTE is at most 1 per position; split a larger one."),
        ],
    )
    salary = models.DecimalField(**MONEY, validators=[not_negative])
    grant_share = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal(1),
        validators=[
            MinValueValidator(Decimal("0.0001"), "The grant's share must be above 0."),
            MaxValueValidator(Decimal(1), "The grant pays at most all of a salary (1.0000)."),
        ],
        help_text="The share of the salary the Alliance grant pays (1.0000 = all).",
    )  # fmt: skip
    benefits_rate = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True,
        help_text="Blank: the plan's benefits rate.",
    )  # fmt: skip
    vacant_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "staff_category", "title", "id"]
        constraints = [
            models.CheckConstraint(name="position_fte_in_0_1", condition=Q(fte__gt=0, fte__lte=1)),
            models.CheckConstraint(name="position_salary_not_negative", condition=Q(salary__gte=0)),
            models.CheckConstraint(
                name="position_share_in_0_1", condition=Q(grant_share__gt=0, grant_share__lte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetLine(Versioned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="lines")
    funding_area = models.CharField(max_length=40, choices=LINE_AREAS)
    object_code = models.CharField(max_length=8)
    description = models.CharField(max_length=300)
    vendor = models.CharField(max_length=200, blank=True)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(**MONEY, validators=[not_negative])

    class Meta:
        ordering = ["plan", "funding_area", "id"]
        constraints = [
            models.CheckConstraint(name="line_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return self.description


class PlanContact(Versioned):
    """Someone to reach about the plan, and whether they present it to the Board (the Board deck's
    title slide names them). Kept beside the plan, not in its frozen versions: a new superintendent
    is not an amendment."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    title = models.CharField(
        max_length=120, help_text="For example, Director of School Improvement."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    presents = models.BooleanField(default=False, verbose_name="Presents the plan to the Board")

    class Meta:
        ordering = ["plan", "-presents", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


class BoardApproval(models.Model):
    """The local Board of Education's vote approving the plan, as its minutes record it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_approvals")
    meeting_date = models.DateField()
    agenda_item = models.CharField(max_length=120)
    votes_for = models.PositiveSmallIntegerField()
    votes_against = models.PositiveSmallIntegerField(default=0)
    abstentions = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-meeting_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="board_approval_carried", condition=Q(votes_for__gt=F("votes_against"))
            ),
        ]

    def __str__(self) -> str:
        return f"Board approval of {self.meeting_date:%B %-d, %Y}, item {self.agenda_item}"


class PlanVersion(models.Model):
    """The whole plan frozen when it is submitted or approved; never changed afterwards."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=30, choices=PLAN_STATUSES)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document: models.JSONField[dict[str, Any]] = models.JSONField()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan} version {self.number} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A plan version is frozen; it is never changed.")
        super().save(*args, **kwargs)


class Payment(models.Model):
    """One installment of a plan's released funds."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="payments")
    installment = models.CharField(max_length=80)
    month = models.DateField(help_text="The first day of the installment's month.")
    amount = models.DecimalField(**MONEY, validators=[not_negative])
    released_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "installment"], name="payment_installment_once")
        ]

    def __str__(self) -> str:
        return f"{self.installment}, {self.month:%B %Y}: ${self.amount:,.2f}"


class AmendmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


# An amendment still being worked on or waiting for a decision: a plan has at most one.
AMENDMENT_UNDECIDED = frozenset({AmendmentStatus.OPEN, AmendmentStatus.SUBMITTED})


class Amendment(models.Model):
    """A change to an approved plan: the plan is edited as a working copy, the redline compares it
    with the approved version it started from, and approval freezes the result as a new version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField()
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN
    )
    resume_status = models.CharField(
        max_length=30, choices=PLAN_STATUSES, help_text="The plan's status when it was opened."
    )
    base_version = models.ForeignKey(PlanVersion, on_delete=models.RESTRICT, related_name="+")
    result_version = models.ForeignKey(
        PlanVersion, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    budget_only = models.BooleanField(
        null=True, help_text="Set on submission: only positions and lines change."
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="amendment_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan} amendment {self.number}"
