from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from alliance.lib.fiscal import FiscalYear

seven_digit_code = RegexValidator(r"^\d{7}$", "A CSDE code has exactly seven digits.")
school_year_label = RegexValidator(r"^\d{4}-\d{2}$", "A school year looks like 2024-25.")


class DistrictType(models.TextChoices):
    """CSDE's organisation type, given by the last two digits of a district code."""

    LOCAL = "11", "Local school district"
    REGIONAL = "12", "Regional school district"
    CHARTER = "13", "Public charter school"
    RESC = "14", "Regional educational service center"
    UNIFIED = "15", "Unified district or state agency"
    TECHNICAL = "16", "Technical education and career system"
    COLLEGE_AFFILIATED = "18", "College-affiliated school"
    ACADEMY = "22", "Endowed or incorporated academy"

    @classmethod
    def from_code(cls, code: str) -> DistrictType:
        try:
            return cls(code[-2:])
        except ValueError:
            raise ValueError(
                f"{code!r} ends in {code[-2:]!r}, which is not a CSDE organisation type"
            ) from None


class SchoolType(models.TextChoices):
    """The ``SchoolOrgType`` values of the EdSight accountability export."""

    PUBLIC = "Public Schools", "Public school"
    REGIONAL = "Regional Schools", "Regional school"
    RESC = "Regional Education Service Center Schools", "RESC school"
    CHARTER = "Public Charter Schools", "Public charter school"
    TECHNICAL = "CT Technical Education and Career Schools", "Technical high school"
    STATE_AGENCY = "State Agency Facilities", "State agency facility"
    ACADEMY = "Endowed and Incorporated Academies Schools", "Endowed or incorporated academy"
    COLLEGE_AFFILIATED = "College Affiliated Schools", "College-affiliated school"


class Town(models.Model):
    """One of Connecticut's 169 towns, by CSDE town code."""

    code = models.PositiveSmallIntegerField(
        primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(169)]
    )
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.CharField(max_length=7, unique=True, validators=[seven_digit_code])
    name = models.CharField(max_length=200)
    district_type = models.CharField(max_length=2, choices=DistrictType.choices)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        help_text="A local district's town; regional and other districts serve several or none.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="district_type_matches_code_suffix",
                condition=Q(code__endswith=F("district_type")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """'Bristol' for 'Bristol School District'."""
        return self.name.removesuffix(" School District")


class School(models.Model):
    code = models.CharField(max_length=7, unique=True, validators=[seven_digit_code])
    name = models.CharField(max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    school_type = models.CharField(max_length=60, choices=SchoolType.choices)
    low_grade = models.CharField(max_length=2)
    high_grade = models.CharField(max_length=2)
    title_i_type = models.CharField(
        max_length=40, blank=True, help_text="Schoolwide, Targeted Assistance, or blank for none."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_span(self) -> str:
        return f"{self.low_grade}–{self.high_grade}"


class Enrollment(models.Model):
    """EdSight's student count for a district in a school year; CSDE suppresses small counts."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="enrollments")
    school_year = models.CharField(max_length=7, validators=[school_year_label])
    students = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["district", "school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school_year"], name="enrollment_one_per_district_year"
            ),
            models.CheckConstraint(
                name="enrollment_suppressed_has_no_count",
                condition=Q(suppressed=True, students__isnull=True)
                | Q(suppressed=False, students__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        count = "suppressed" if self.suppressed else f"{self.students:,}"
        return f"{self.district} {self.school_year}: {count}"


class AllianceAllocation(models.Model):
    """A town's ECS entitlement for a fiscal year, split into its Alliance portion and the rest."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="allocations")
    fiscal_year = models.PositiveSmallIntegerField(
        help_text="The year the fiscal year ends: 2025 is July 1, 2024 - June 30, 2025."
    )
    alliance_amount = models.DecimalField(max_digits=14, decimal_places=2)
    ecs_entitlement = models.DecimalField(max_digits=14, decimal_places=2)
    education_diversity_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    non_alliance_amount = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["district", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "fiscal_year"], name="allocation_one_per_district_year"
            ),
            models.CheckConstraint(
                name="allocation_amounts_not_negative",
                condition=Q(alliance_amount__gte=0, ecs_entitlement__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} FY{self.fiscal_year}: ${self.alliance_amount:,}"

    @property
    def fiscal(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)

    @property
    def share_of_entitlement(self) -> Decimal | None:
        if not self.ecs_entitlement:
            return None
        return self.alliance_amount / self.ecs_entitlement


class CohortKind(models.TextChoices):
    ALLIANCE = "alliance", "Alliance Districts"
    OPPORTUNITY = "opportunity", "Opportunity Districts"


class DesignationCohort(models.Model):
    """A list of districts designated together for a span of fiscal years, with its legal basis."""

    code = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=CohortKind.choices)
    name = models.CharField(max_length=120)
    first_fiscal_year = models.PositiveSmallIntegerField()
    last_fiscal_year = models.PositiveSmallIntegerField()
    size = models.PositiveSmallIntegerField(help_text="How many districts the law designates.")
    basis = models.TextField(help_text="The statute or decision the list rests on.")
    source = models.TextField(help_text="Where the list of districts was read from.")
    districts: models.ManyToManyField[District, Designation] = models.ManyToManyField(
        District, through="Designation", related_name="cohorts"
    )

    class Meta:
        ordering = ["kind", "first_fiscal_year"]
        constraints = [
            models.CheckConstraint(
                name="cohort_years_in_order",
                condition=Q(first_fiscal_year__lte=F("last_fiscal_year")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def span(self) -> str:
        if self.first_fiscal_year == self.last_fiscal_year:
            return f"FY{self.first_fiscal_year}"
        return f"FY{self.first_fiscal_year}–FY{self.last_fiscal_year}"

    def covers(self, fiscal_year: int) -> bool:
        return self.first_fiscal_year <= fiscal_year <= self.last_fiscal_year


class Designation(models.Model):
    cohort = models.ForeignKey(
        DesignationCohort, on_delete=models.CASCADE, related_name="designations"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="designations")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "district"], name="designation_once_per_cohort"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} in {self.cohort}"
