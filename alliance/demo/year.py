"""Bristol's FY2025 year in the demo, after its plan was funded: the three monitoring meetings
held, expenditures through June 2025 loaded from a finance export, progress on the goals, action
items closed and open, one approved budget revision and the annual review decided.

All of it is illustrative (the plan says so): the spending follows the plan with a late hire and a
slow line, so the forecast at the winter meeting shows what a district would want to see in time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alliance.accounts.models import User
from alliance.lib.money import to_cents
from alliance.monitoring.models import Meeting
from alliance.monitoring.services import (
    action_add,
    action_close,
    agenda_add,
    annual_review_decide,
    annual_review_score,
    expenditure_import,
    meeting_record,
    meetings_schedule,
    progress_enter,
)
from alliance.plans.models import BudgetLine, Goal, Plan, Position
from alliance.plans.selectors import plan_contents
from alliance.plans.services import row_update
from alliance.plans.workflow import plan_transition

# Positions filled late: their seats were vacant until these dates (set before approval).
VACANCIES = {"Academic interventionist 30": dt.date(2024, 11, 1), "Tutor 20": dt.date(2025, 1, 6)}
# Lines that spend slowly: the share of their amount spent by June 30.
SLOW = {
    "Devices for intervention groups": Decimal("0.70"),
    "Family engagement nights and materials": Decimal("0.80"),
}
MAPPING = {"date": "Posted", "object_code": "Account", "description": "Description",
           "vendor": "Vendor", "amount": "Amount"}  # fmt: skip


def vacancies_set(plan: Plan, user: User) -> None:
    """Before the plan is approved: two seats are budgeted from a later start."""
    for position in Position.objects.filter(plan=plan, title__in=VACANCIES):
        row_update(
            obj=position, plan=plan, user=user, expected_version=position.version,
            changes={"vacant_until": VACANCIES[position.title]},
        )  # fmt: skip


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start
    while day <= end:
        months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def ledger(plan: Plan) -> bytes:
    """The year's Alliance expenditures as a finance system exports them (CSV)."""
    contents = plan_contents(plan)
    months = _months(plan.fiscal.start, plan.fiscal.end)
    rows = ["Posted,Account,Description,Vendor,Amount"]

    def add(day: dt.date, account: str, description: str, vendor: str, amount: Decimal) -> None:
        if amount:
            rows.append(f'{day:%m/%d/%Y},{account},"{description}","{vendor}","${amount:,.2f}"')

    for position in contents.positions:
        cost = contents.position_costs[position.pk]
        paid = [m for m in months if position.vacant_until is None or m >= position.vacant_until]
        for month in paid:
            payday = month.replace(day=28)
            add(payday, "111", f"{position.title} payroll {month:%B %Y}", "Payroll",
                to_cents(cost.salary_cost / 12))  # fmt: skip
            add(payday, "211", f"{position.title} benefits {month:%B %Y}", "Benefits trust",
                to_cents(cost.benefits_cost / 12))  # fmt: skip
    for line in contents.lines:
        share = SLOW.get(line.description, Decimal("0.98"))
        total = to_cents(line.amount * share)
        # Spent in ten monthly payments, August to May.
        for number, month in enumerate(months[1:11]):
            part = to_cents(total / 10) if number < 9 else total - 9 * to_cents(total / 10)
            add(month.replace(day=15), line.object_code, line.description,
                line.vendor or "Vendor", part)  # fmt: skip
    # One payment the district still has to assign to a line.
    add(dt.date(plan.fiscal_year, 2, 3), "300", "Conference registration, CT literacy summit",
        "CT Literacy Association", Decimal("1450.00"))  # fmt: skip
    return ("\n".join(rows) + "\n").encode()


def bristol_year(plan: Plan, users: dict[str, User]) -> None:
    editor, leader, reviewer = (
        users["district.editor"],
        users["district.leader"],
        users["state.reviewer"],
    )
    meetings = {m.code: m for m in meetings_schedule(plan)}
    fall, winter, spring = meetings["fall"], meetings["winter"], meetings["spring"]
    expenditure_import(plan=plan, name="bristol-alliance-fy2025-ledger.csv", content=ledger(plan),
                       mapping=MAPPING, user=editor)  # fmt: skip

    # The agenda and the action items, meeting by meeting.
    agenda_add(meeting=fall, user=reviewer, title="Fall benchmark results by school")
    agenda_add(meeting=fall, user=editor, title="Hiring for the vacant interventionist seat",
               strategy=plan.strategies.get(title="Tiered academic interventions"))  # fmt: skip
    hire = action_add(meeting=fall, user=reviewer, title="Fill the vacant interventionist seat",
                      owner="Director of Human Resources", due=dt.date(2024, 12, 1))  # fmt: skip
    calendar = action_add(meeting=fall, user=editor, title="Send the coaching cycle calendar",
                          owner="Literacy Supervisor", due=dt.date(2024, 12, 15))  # fmt: skip
    pilot = action_add(meeting=fall, user=reviewer, title="Pilot a tutoring attendance app",
                       owner="Director of School Improvement", due=dt.date(2025, 1, 31))  # fmt: skip
    agenda_add(meeting=winter, user=reviewer, title="Spend-down: devices line is slow")
    agenda_add(
        meeting=winter,
        user=leader,
        title="Move $10,000 from the literacy academy to coach training",
    )
    for item, status, note in ((hire, "done", "Filled November 1."),
                               (calendar, "done", ""),
                               (pilot, "dropped", "Attendance is tracked in the SIS instead.")):  # fmt: skip
        action_close(item=item, user=leader, status=status, note=note, meeting=winter,
                     expected_version=item.version)  # fmt: skip
    devices = action_add(meeting=winter, user=reviewer, title="Order the remaining devices",
                         owner="Chief Operating Officer", due=dt.date(2025, 3, 31))  # fmt: skip
    action_add(meeting=winter, user=reviewer, title="Share family engagement attendance data",
               owner="Director of Family and Community Engagement", due=dt.date(2025, 4, 15))  # fmt: skip
    action_close(item=devices, user=editor, status="done", note="Ordered in March.",
                 meeting=spring, expected_version=devices.version)  # fmt: skip
    agenda_add(meeting=spring, user=reviewer, title="Spring results and next year's plan")

    # The revision agreed at the winter meeting: a budget-only amendment, approved by state fiscal.
    plan = plan_transition(plan_id=plan.pk, action="open_amendment", user=leader,
                           note="Move $10,000 from the K-3 literacy academy to instructional coach "
                                "training, as agreed at the winter meeting.")  # fmt: skip
    for description, delta in (
        ("K-3 literacy academy", -10000),
        ("Instructional coach training", 10000),
    ):
        line = BudgetLine.objects.get(plan=plan, description=description)
        row_update(obj=line, plan=plan, user=editor, expected_version=line.version,
                   changes={"amount": line.amount + delta})  # fmt: skip
    plan = plan_transition(plan_id=plan.pk, action="submit_amendment", user=leader)
    plan = plan_transition(
        plan_id=plan.pk, action="approve_budget_amendment", user=users["state.fiscal"]
    )

    # Progress on each goal with a baseline: most on their path, one behind.
    for goal in Goal.objects.filter(strategy__plan=plan).exclude(baseline=None):
        baseline = goal.baseline or Decimal(0)
        movement = goal.target - baseline
        behind = goal.description.startswith("Chronic absenteeism")
        for meeting, share in ((fall, "0.35"), (winter, "0.60"), (spring, "0.92")):
            reached = Decimal(share) * (Decimal("0.4") if behind else 1)
            progress_enter(goal=goal, meeting=meeting, user=editor,
                           value=(baseline + movement * reached).quantize(Decimal("0.0001")),
                           note="Benchmark assessment window")  # fmt: skip

    for meeting, notes in ((fall, "Fall benchmarks reviewed; one seat vacant."),
                           (winter, "Devices line behind pace; revision agreed."),
                           (spring, "Spring results reviewed; plan for FY2026 discussed.")):  # fmt: skip
        current = Meeting.objects.get(pk=meeting.pk)
        meeting_record(meeting=current, user=reviewer, expected_version=current.version,
                       changes={"held": True, "attendees": "Riley Chen (CSDE); Lee Morgan, Dana Reyes (Bristol)",
                                "notes": notes})  # fmt: skip

    review = annual_review_score(plan=plan, user=reviewer, expected_version=None, scores={
        "implementation": (4, "Every strategy ran; the one vacancy was filled by November."),
        "goals": (3, "Most goals met their path; chronic absenteeism lagged."),
        "spending": (3, "Spent close to plan; devices and family engagement lines lapsed a little."),
        "action_items": (3, "Four of five action items closed; one open into the summer."),
    })  # fmt: skip
    annual_review_decide(review=review, user=users["commissioner"], decision=review.recommendation,
                         note="", expected_version=review.version)  # fmt: skip
