"""One row per change. The product offers no way to edit or delete a row, and the model refuses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnly(Exception):
    """The audit trail is only ever added to."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")


class AuditEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user_label = models.CharField(
        max_length=200, help_text="The name at the time, kept as written."
    )
    action = models.CharField(max_length=40)  # create, update, delete, or a workflow action
    object_type = models.CharField(max_length=40)  # plan, strategy, goal, position, line, ...
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(max_length=300)
    # The plan the change belongs to, by key, so entries outlive a deleted plan or row.
    district_code = models.CharField(max_length=7, db_index=True)
    fiscal_year = models.PositiveSmallIntegerField(db_index=True)
    changes: models.JSONField[dict[str, list[Any]]] = models.JSONField(
        default=dict, help_text="{field: [before, after]} with values as text."
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["district_code", "fiscal_year", "at"])]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.user_label} {self.action} {self.object_type} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")
