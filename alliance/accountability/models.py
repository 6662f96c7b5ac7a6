from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from alliance.registry.models import District, School


class AccountabilityYear(models.Model):
    """One imported EdSight export: a school year's published and recomputed results."""

    school_year = models.CharField(max_length=7, unique=True)
    source_file = models.CharField(max_length=255)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    entities = models.PositiveIntegerField()
    cells_compared = models.PositiveIntegerField()
    cells_differing = models.PositiveIntegerField()

    class Meta:
        ordering = ["-school_year"]

    def __str__(self) -> str:
        return self.school_year


class Category(models.TextChoices):
    STATE = "state", "State"
    DISTRICT = "district", "District"
    SCHOOL = "school", "School"


class AccountabilityResult(models.Model):
    """One entity's row of an export, with CSDE's figures and the engine's side by side."""

    year = models.ForeignKey(AccountabilityYear, on_delete=models.CASCADE, related_name="results")
    category = models.CharField(max_length=10, choices=Category.choices)
    district_code = models.CharField(max_length=7)
    school_code = models.CharField(max_length=7)
    name = models.CharField(max_length=200)
    district_name = models.CharField(max_length=200)
    # Linked when the registry knows the code; closed districts and schools stay unlinked.
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="accountability"
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="accountability"
    )
    span = models.CharField(max_length=20)
    total_points = models.DecimalField(max_digits=12, decimal_places=6)
    total_possible = models.DecimalField(max_digits=12, decimal_places=6)
    index = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    published_total_points = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True
    )
    published_total_possible = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True
    )
    published_index = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    achievement_gap_flag = models.PositiveSmallIntegerField(null=True, blank=True)
    graduation_gap_flag = models.PositiveSmallIntegerField(null=True, blank=True)
    participation_flag = models.PositiveSmallIntegerField(null=True, blank=True)
    # {cell key: {rate, points, possible, published_points, published_possible}} as decimal strings
    cells: models.JSONField[dict[str, dict[str, Any]]] = models.JSONField(default=dict)
    # Other inputs the profile shows: gaps' rates and hurdles, participation rates.
    inputs: models.JSONField[dict[str, str | None]] = models.JSONField(default=dict)

    class Meta:
        ordering = ["year", "category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "category", "district_code", "school_code"],
                name="accountability_one_row_per_entity",
            )
        ]
        indexes = [models.Index(fields=["category", "index"])]

    def __str__(self) -> str:
        return f"{self.name} {self.year_id}"

    def cell_decimal(self, key: str, field: str) -> Decimal | None:
        raw = self.cells.get(key, {}).get(field)
        return None if raw is None else Decimal(raw)
