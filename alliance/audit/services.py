"""Recording changes. Called inside the same transaction as the change it records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from alliance.audit.models import AuditEntry
from alliance.lib import clock

SKIP = {"id", "version", "updated_at", "updated_by", "created_at", "status_changed_at"}


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model) -> dict[str, str | None]:
    """Every recorded field of a row, as text; foreign keys by their names."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIP:
            continue
        value = getattr(obj, field.name)
        if isinstance(field, models.DecimalField) and value is not None:
            # As stored: 10 typed is recorded as 10.00, the same as after a reload.
            value = Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
        values[field.name] = as_text(value)
    return values


def audit_entry(
    *,
    user: Any,
    action: str,
    obj: models.Model,
    district_code: str,
    fiscal_year: int,
    before: dict[str, str | None] | None = None,
    after: dict[str, str | None] | None = None,
) -> AuditEntry:
    """An unsaved entry: the fields that differ between before and after, and who did it."""
    before, after = before or {}, after or {}
    names = list(dict.fromkeys([*before, *after]))
    changes = {n: [before.get(n), after.get(n)] for n in names if before.get(n) != after.get(n)}
    person = user if getattr(user, "pk", None) else None
    return AuditEntry(
        at=clock.now(),
        user=person,
        user_label=(person.get_full_name() or person.username) if person else "system",
        action=action,
        object_type=obj._meta.model_name or type(obj).__name__.lower(),
        object_id=obj.pk or 0,
        object_label=str(obj)[:300],
        district_code=district_code,
        fiscal_year=fiscal_year,
        changes=changes,
    )


def audit_record(**entry: Any) -> AuditEntry:
    """Write one entry (see audit_entry for the arguments)."""
    record = audit_entry(**entry)
    record.save()
    return record
