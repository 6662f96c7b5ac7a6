"""Writes of the monitoring context: expenditure imports, entries and assignments. Each checks the
person's role and the plan's status, and writes atomically with an audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.accounts.roles import Role
from alliance.audit.services import audit_record, snapshot
from alliance.lib import clock
from alliance.lib.money import ZERO
from alliance.monitoring.expenditures import (
    ExpenditureRow,
    fingerprint,
    read_expenditures,
    table_rows,
)
from alliance.monitoring.matching import Candidate, match
from alliance.monitoring.models import Expenditure, ExpenditureImport, ItemKind
from alliance.plans.catalog import catalog
from alliance.plans.models import BudgetLine, Plan, Position
from alliance.plans.services import PlanError
from alliance.plans.transitions import AMENDING, AMENDMENT_SUBMITTED, APPROVED_STATES

SPENDING_STATES = APPROVED_STATES | {AMENDING, AMENDMENT_SUBMITTED}
SPENDERS = frozenset({Role.DISTRICT_EDITOR, Role.DISTRICT_LEADER})
BATCH = 2000


@dataclass(frozen=True)
class ImportSummary:
    source: ExpenditureImport
    matched: int
    unmatched: int


def _check(plan: Plan, user: User) -> None:
    if not access_for(user).roles_in(plan.district.code) & SPENDERS:
        raise PermissionDenied("Only the district's editors and leaders record its spending.")
    if plan.status not in SPENDING_STATES:
        status = plan.get_status_display().lower()
        raise PlanError(
            {"__all__": [f"The plan is {status}; spending is recorded once it is approved."]}
        )


def candidates(plan: Plan) -> list[Candidate]:
    """Every budget item of the plan an expenditure can be charged to."""
    terms = catalog()
    items = [
        Candidate(f"line:{pk}", code, description)
        for pk, code, description in BudgetLine.objects.filter(plan=plan).values_list(
            "pk", "object_code", "description"
        )
    ]
    for pk, title in Position.objects.filter(plan=plan).values_list("pk", "title"):
        items.append(Candidate(f"position:{pk}:salary", terms.salary_code, title))
        items.append(Candidate(f"position:{pk}:benefits", terms.benefits_code, title))
    return items


def item_fields(key: str) -> dict[str, Any]:
    """An item key as the expenditure's fields: kind, line and position."""
    if not key:
        return {"kind": "", "line_id": None, "position_id": None}
    parts = key.split(":")
    if parts[0] == "line":
        return {"kind": ItemKind.LINE, "line_id": int(parts[1]), "position_id": None}
    return {"kind": parts[2], "line_id": None, "position_id": int(parts[1])}


def expenditure_import(
    *, plan: Plan, name: str, content: bytes, mapping: dict[str, str], user: User
) -> ImportSummary:
    """Load a finance export: every row or none. Raises ExpenditureFileError naming each bad cell,
    or PlanError when the same file was loaded before."""
    _check(plan, user)
    digest = fingerprint(content)
    earlier = ExpenditureImport.objects.filter(plan=plan, fingerprint=digest).first()
    if earlier is not None:
        when = clock.local_date(earlier.imported_at)
        raise PlanError(
            {
                "file": [
                    f"{name} was already loaded on {when:%B %-d, %Y} as {earlier.file_name} "
                    f"({earlier.rows} rows); nothing was added."
                ]
            }
        )
    header, rows = table_rows(name, content)
    read = read_expenditures(name, header, rows, mapping)
    pool = candidates(plan)
    terms = catalog()
    keys = [
        match(row, pool, salary_family=terms.salary_code, benefits_family=terms.benefits_code)
        for row in read
    ]
    with transaction.atomic():
        source = ExpenditureImport.objects.create(
            plan=plan, file_name=name[:255], fingerprint=digest, mapping=mapping, rows=len(read),
            total=sum((r.amount for r in read), ZERO), imported_at=clock.now(), imported_by=user,
        )  # fmt: skip
        rows_with_keys = zip(read, keys, strict=True)
        Expenditure.objects.bulk_create(
            (_expenditure(plan, row, key, user, source) for row, key in rows_with_keys),
            batch_size=BATCH,
        )
        audit_record(
            user=user, action="import", obj=source, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, after=snapshot(source),
        )  # fmt: skip
    matched = sum(1 for k in keys if k)
    return ImportSummary(source, matched, len(keys) - matched)


def _expenditure(
    plan: Plan, row: ExpenditureRow, key: str, user: User, source: ExpenditureImport | None
) -> Expenditure:
    return Expenditure(
        plan=plan, source=source, row=row.row, day=row.day, object_code=row.object_code,
        description=row.description, vendor=row.vendor, amount=row.amount, entered_by=user,
        **item_fields(key),
    )  # fmt: skip


def expenditure_add(
    *, plan: Plan, user: User, day: dt.date, object_code: str, description: str, amount: Decimal,
    vendor: str = "", item: str = "",
) -> Expenditure:  # fmt: skip
    """One expenditure entered by hand, charged to the item chosen (or matched like a file row)."""
    _check(plan, user)
    pool = candidates(plan)
    if item and item not in {c.key for c in pool}:
        raise PlanError({"item": ["Choose one of the plan's lines or positions."]})
    row = ExpenditureRow(0, day, object_code, description, vendor, amount, "")
    terms = catalog()
    key = item or match(
        row, pool, salary_family=terms.salary_code, benefits_family=terms.benefits_code
    )
    with transaction.atomic():
        expenditure = _expenditure(plan, row, key, user, None)
        expenditure.row = None
        expenditure.save()
        audit_record(
            user=user, action="create", obj=expenditure, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, after=snapshot(expenditure),
        )  # fmt: skip
    return expenditure


def expenditure_assign(*, expenditure: Expenditure, item: str, user: User) -> Expenditure:
    """Charge an expenditure to a budget item (an unmatched row, or a correction)."""
    plan = expenditure.plan
    _check(plan, user)
    if item not in {c.key for c in candidates(plan)}:
        raise PlanError({"item": ["Choose one of the plan's lines or positions."]})
    with transaction.atomic():
        current = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
        before = snapshot(current)
        for field, value in item_fields(item).items():
            setattr(current, field, value)
        current.save(update_fields=["kind", "line", "position"])
        audit_record(
            user=user, action="update", obj=current, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, before=before, after=snapshot(current),
        )  # fmt: skip
    return current
