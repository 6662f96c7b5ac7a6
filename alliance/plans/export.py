"""A whole plan as plain data: the JSON export's schema (docs/plan-export.md). Money is a string
with two decimals, so no reader turns it into a float."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from alliance.lib.numbers import plain
from alliance.plans.budget import Row
from alliance.plans.catalog import catalog
from alliance.plans.selectors import PlanContents

SCHEMA = "alliance-grants/plan-export/1"


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def _rows(rows: tuple[Row, ...]) -> list[dict[str, str]]:
    return [{"code": r.key, "name": r.label, "amount": money(r.amount)} for r in rows]


def plan_document(contents: PlanContents) -> dict[str, Any]:
    plan, budget, terms = contents.plan, contents.budget, catalog()
    rate = plan.benefits_rate
    return {
        "schema": SCHEMA,
        "district": {"code": plan.district.code, "name": plan.district.name},
        "fiscal_year": plan.fiscal_year,
        "period": {"start": plan.fiscal.start.isoformat(), "end": plan.fiscal.end.isoformat()},
        "status": plan.status,
        "illustrative": plan.illustrative,
        "allocation": money(plan.allocation),
        "allocation_source": plan.allocation_source,
        "benefits_rate": f"{rate:.4f}",
        "strategies": [
            {
                "id": s.pk,
                "focus_area": s.focus_area,
                "focus_area_name": terms.name_of(terms.focus_areas, s.focus_area),
                "title": s.title,
                "description": s.description,
                "owner": s.owner,
                "evidence_level": s.evidence_level,
                "schools": [
                    {"code": ss.school.code, "name": ss.school.name, "tier": ss.tier}
                    for ss in s.schools.all()
                ],
                "goals": [
                    {
                        "id": g.pk,
                        "measure": g.measure,
                        "ngas_cell": g.ngas_cell or None,
                        "school_code": g.school.code if g.school else None,
                        "description": g.description,
                        "student_group": g.student_group,
                        "baseline": None if g.baseline is None else plain(g.baseline),
                        "baseline_year": g.baseline_year or None,
                        "target": plain(g.target),
                        "unit": g.unit,
                        "meetings": [m for m in ("fall", "winter", "spring") if getattr(g, m)],
                    }
                    for g in s.goals.all()
                ],
            }
            for s in contents.strategies
        ],
        "positions": [
            {
                "id": p.pk,
                "title": p.title,
                "staff_category": p.staff_category,
                "strategy_id": p.strategy_id,
                "school_code": p.school.code if p.school else None,
                "fte": f"{p.fte:.2f}",
                "salary": money(p.salary),
                "grant_share": f"{p.grant_share:.4f}",
                "benefits_rate": f"{p.benefits_rate if p.benefits_rate is not None else rate:.4f}",
                "vacant_until": p.vacant_until.isoformat() if p.vacant_until else None,
            }
            for p in contents.positions
        ],
        "lines": [
            {
                "id": line.pk,
                "funding_area": line.funding_area,
                "object_code": line.object_code,
                "description": line.description,
                "vendor": line.vendor,
                "strategy_id": line.strategy_id,
                "school_code": line.school.code if line.school else None,
                "amount": money(line.amount),
            }
            for line in contents.lines
        ],
        "totals": {
            "budget": money(budget.total),
            "allocation": money(budget.allocation),
            "difference": money(budget.difference),
            "by_funding_area": _rows(budget.by_funding_area),
            "by_object_code": _rows(budget.by_object_code),
            "by_strategy": _rows(budget.by_strategy),
            "by_school": _rows(budget.by_school),
        },
    }
