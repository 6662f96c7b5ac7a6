"""What the API answers, as types: the OpenAPI document is generated from them. Money is a string
with two decimals (as in the plan export), so no client reads it as a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from alliance.monitoring.items import item_key

_MONEY_PATTERN = r"^-?\d+\.\d{2}$"


def Money(description: str) -> Any:
    """A required money field (named like a type: it reads as one in the schemas below)."""
    return Field(
        ..., description=f"{description} (dollars, two decimals, as a string)",
        pattern=_MONEY_PATTERN, examples=["1234.50"],
    )  # fmt: skip


def OptionalMoney(description: str) -> Any:
    return Field(
        None, description=f"{description} (dollars, two decimals, as a string)",
        pattern=_MONEY_PATTERN, examples=["1234.50"],
    )  # fmt: skip


class Problem(Schema):
    """Every error: what went wrong, in words a person can act on."""

    detail: str
    errors: dict[str, list[str]] | None = Field(
        None, description="For a refused write: the message for each field ('__all__': overall)."
    )
    current_version: int | None = Field(
        None, description="When someone changed the row meanwhile: its version now."
    )


# What a write may answer besides success.
WRITE_PROBLEMS = {status: Problem for status in (403, 404, 409, 422)}


class CellError(Schema):
    file: str
    row: int | None = Field(None, description="The file's row number, the header being row 1.")
    column: str | None = None
    message: str


class FileProblem(Schema):
    """A refused file: nothing of it was stored."""

    detail: str
    cells: list[CellError] = Field(..., description="Each bad cell (at most 50).")
    more: int = Field(0, description="Bad cells beyond those listed.")


class DistrictRoles(Schema):
    code: str
    roles: list[str]


class Me(Schema):
    username: str
    name: str
    state_roles: list[str]
    districts: list[DistrictRoles]


class District(Schema):
    code: str = Field(..., description="CSDE's seven-digit district code.")
    name: str
    town: str | None
    district_type: str
    alliance_status: str = Field(..., description="current, former or never (for fiscal_year).")
    opportunity_district: bool
    enrollment: int | None = Field(None, description="Students in the latest year on record.")
    enrollment_year: str | None = None
    fiscal_year: int
    allocation: str | None = OptionalMoney("The ECS Alliance allocation for fiscal_year")


class PlanSummary(Schema):
    district_code: str
    district_name: str
    fiscal_year: int
    status: str
    status_name: str
    allocation: str = Money("The Alliance allocation the plan budgets")
    version: int = Field(..., description="Changes with every save: send it back to change it.")
    updated_at: dt.datetime
    illustrative: bool = Field(..., description="True for demonstration data.")


class PlanDetail(PlanSummary):
    document: dict[str, Any] = Field(
        ..., description="The whole plan in the plan export's schema (docs/plan-export.md)."
    )


class ApprovedPlan(Schema):
    district_code: str
    district_name: str
    fiscal_year: int
    version: int = Field(..., description="The approved version's number.")
    status: str
    approved_at: dt.datetime
    budget: str = Money("The budget as approved")
    allocation: str = Money("The allocation")


class ApprovedPlanDetail(Schema):
    version: int
    approved_at: dt.datetime
    document: dict[str, Any] = Field(
        ..., description="The plan as approved, in the plan export's schema (docs/plan-export.md)."
    )


class SpendRow(Schema):
    key: str
    name: str
    budget: str = Money("Budget")
    spent: str = Money("Spent by the as-of date")
    remaining: str = Money("Budget less spent")
    forecast: str = Money("Projected spending by June 30")
    unspent: str = Money("Projected to lapse on June 30 (negative: overspent)")
    risk: str = Field(..., description="The lapse risk level's code (rules data).")
    risk_name: str


class Spending(Schema):
    district_code: str
    fiscal_year: int
    as_of: dt.date
    year_share: str = Field(..., description="Share of the fiscal year gone, 0 to 1.")
    total: SpendRow
    by_funding_area: list[SpendRow]
    by_strategy: list[SpendRow]
    items: list[SpendRow] = Field(..., description="Each budget line and position part.")
    unmatched_count: int = Field(..., description="Rows not yet charged to a budget item.")
    unmatched_total: str = Money("Their amount")


class ExpenditureOut(Schema):
    id: int
    day: dt.date
    object_code: str
    description: str
    vendor: str
    amount: str = Money("Amount (negative: a refund or reversal)")
    charged_to: str | None = Field(
        None, description="The budget item's key (as in Spending.items); null: still to assign."
    )
    file_name: str | None = Field(None, description="The import it came from; null: entered.")
    row: int | None = None

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return f"{obj.amount:.2f}"

    @staticmethod
    def resolve_charged_to(obj: Any) -> str | None:
        return item_key(obj.kind, obj.line_id, obj.position_id) if obj.kind else None

    @staticmethod
    def resolve_file_name(obj: Any) -> str | None:
        return obj.source.file_name if obj.source_id else None


class BudgetItem(Schema):
    key: str = Field(..., description="What an expenditure's charged_to names: 'line:12', "
                     "'position:5:salary' or 'position:5:benefits'.")  # fmt: skip
    kind: str = Field(..., description="line, salary or benefits.")
    name: str
    object_code: str
    strategy: str


class ExpenditureIn(Schema):
    """One expenditure entered by hand: a journal entry, a payment the export missed."""

    day: dt.date
    object_code: str = Field(..., min_length=1, max_length=40)
    description: str = Field(..., min_length=1, max_length=300)
    vendor: str = Field("", max_length=200)
    amount: Decimal = Field(
        ..., max_digits=14, decimal_places=2, description="Dollars, at most two decimals; "
        "negative for a refund or reversal. Send it as a string: \"1500.00\".",
    )  # fmt: skip
    charged_to: str = Field(
        "", description="A budget item's key (see items); empty: matched as a file row would be."
    )


class Assignment(Schema):
    charged_to: str = Field(..., description="A budget item's key (see items).")


class ProgressReport(Schema):
    meeting: str = Field(..., description="fall, winter or spring.")
    meeting_name: str
    day: dt.date
    value: str | None = Field(None, description="The value the goal reached; null: not reported.")
    expected: str | None = Field(None, description="Where the target path stood on that day.")
    status: str = Field(
        ..., description="on_track, at_risk, off_track, or empty: not judged. A reviewer's "
        "judgement, when given, wins over the target path's.",
    )  # fmt: skip
    status_name: str
    note: str
    override_reason: str
    version: int | None = Field(None, description="Send it back to change this report.")


class GoalProgress(Schema):
    goal_id: int
    strategy: str
    description: str
    measure: str
    student_group: str
    baseline: str | None
    target: str
    reports: list[ProgressReport]


class ProgressIn(Schema):
    value: Decimal = Field(..., description="The value reached, as a number or a string.")
    note: str = Field("", max_length=2000)
    version: int | None = Field(
        None, description="The report's version when you read it; leave out for a first report. "
        "A report changed meanwhile by someone else is not overwritten (409).",
    )  # fmt: skip


class ImportResult(Schema):
    id: int
    file_name: str
    rows: int
    total: str = Money("The file's total")
    matched: int = Field(..., description="Rows charged to a budget item.")
    unmatched: int = Field(..., description="Rows left to assign.")
    imported_at: dt.datetime
    mapping: dict[str, str]


class PortfolioRow(Schema):
    district_code: str
    district_name: str
    allocation: str | None = OptionalMoney("The ECS Alliance allocation")
    plan_status: str | None
    plan_status_name: str
    budget: str | None = OptionalMoney("The plan's budget, once approved")
    spent: str | None = OptionalMoney("Spent by the as-of date")
    spent_share: str | None = Field(None, description="Spent share of the budget, 0 to 1.")
    forecast_unspent: str | None = OptionalMoney("Projected to lapse on June 30")
    lapse_risk: str | None
    goals: int
    goals_judged: int
    goals_on_track: int
    goals_off_track: int
    overdue_action_items: int
    level: str = Field(..., description="high, medium, low, or none (no approved plan).")


class Portfolio(Schema):
    fiscal_year: int
    as_of: dt.date
    year_share: str
    districts: list[PortfolioRow]
