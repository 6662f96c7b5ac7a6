"""Bristol's FY2025 year in the demo, after its plan was funded: the three monitoring meetings
held, expenditures through June 2025 loaded from the finance system's exports before each meeting,
progress on the goals, action items closed and open, one approved budget revision and the annual
review decided, each on the date it would have happened.

All of it is illustrative (the plan says so): the spending follows the plan with a late hire and a
slow line, so the forecast at the winter meeting shows what a district would want to see in time.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from decimal import Decimal

from alliance.accounts.models import User
from alliance.lib import clock
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


LEDGER_HEADER = "Posted,Account,Description,Vendor,Amount"


def ledger(plan: Plan, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
    """The year's Alliance expenditures as a finance system exports them (CSV), those posted from
    `start` to `end` when given."""
    rows = [LEDGER_HEADER]
    for day, row in _ledger_rows(plan):
        if (start is None or day >= start) and (end is None or day <= end):
            rows.append(row)
    return ("\n".join(rows) + "\n").encode()


def _ledger_rows(plan: Plan) -> list[tuple[dt.date, str]]:
    contents = plan_contents(plan)
    months = _months(plan.fiscal.start, plan.fiscal.end)
    rows: list[tuple[dt.date, str]] = []

    def add(day: dt.date, account: str, description: str, vendor: str, amount: Decimal) -> None:
        if amount:
            rows.append(
                (day, f'{day:%m/%d/%Y},{account},"{description}","{vendor}","${amount:,.2f}"')
            )

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
    return rows


def on(day: dt.date, hour: int = 10) -> AbstractContextManager[None]:
    """The demo's steps happen on the dates they would have: the clock is pinned to `day`."""
    return clock.pinned(dt.datetime.combine(day, dt.time(hour), tzinfo=clock.CONNECTICUT))


def bristol_year(plan: Plan, users: dict[str, User]) -> None:
    """The year after the funds were released, step by step on its dates: the ledger loaded before
    each meeting, the meetings held, a revision in February, the review in July."""
    editor, leader, reviewer = (
        users["district.editor"],
        users["district.leader"],
        users["state.reviewer"],
    )
    year = plan.fiscal
    with on(year.start + dt.timedelta(days=15)):
        meetings = {m.code: m for m in meetings_schedule(plan)}
    fall, winter, spring = meetings["fall"], meetings["winter"], meetings["spring"]
    goals = list(Goal.objects.filter(strategy__plan=plan).exclude(baseline=None))

    def load(start: dt.date, end: dt.date, loaded: dt.date) -> None:
        with on(loaded, 15):
            expenditure_import(plan=plan, name=f"bristol-alliance-ledger-{end:%Y-%m}.csv",
                               content=ledger(plan, start, end), mapping=MAPPING, user=editor)  # fmt: skip

    def held(meeting: Meeting, share: str, notes: str) -> None:
        """The meeting's record, and the progress each goal reported at it (one goal behind)."""
        with on(meeting.day, 14):
            for goal in goals:
                baseline = goal.baseline or Decimal(0)
                behind = goal.description.startswith("Chronic absenteeism")
                reached = Decimal(share) * (Decimal("0.4") if behind else 1)
                progress_enter(goal=goal, meeting=meeting, user=editor,
                               value=(baseline + (goal.target - baseline) * reached).quantize(
                                   Decimal("0.0001")),
                               note="Benchmark assessment window")  # fmt: skip
            current = Meeting.objects.get(pk=meeting.pk)
            meeting_record(meeting=current, user=reviewer, expected_version=current.version,
                           changes={"held": True, "notes": notes, "attendees":
                                    "Riley Chen (CSDE); Lee Morgan, Dana Reyes (Bristol)"})  # fmt: skip

    # Fall: the agenda, the first months' ledger, the meeting.
    with on(fall.day - dt.timedelta(days=14)):
        agenda_add(meeting=fall, user=reviewer, title="Fall benchmark results by school")
        agenda_add(meeting=fall, user=editor, title="Hiring for the vacant interventionist seat",
                   strategy=plan.strategies.get(title="Tiered academic interventions"))  # fmt: skip
    load(year.start, dt.date(year.start.year, 10, 31), fall.day - dt.timedelta(days=7))
    held(fall, "0.35", "Fall benchmarks reviewed; one seat vacant.")
    with on(fall.day, 15):
        hire = action_add(meeting=fall, user=reviewer, title="Fill the vacant interventionist seat",
                          owner="Director of Human Resources", due=dt.date(2024, 12, 1))  # fmt: skip
        calendar = action_add(meeting=fall, user=editor, title="Send the coaching cycle calendar",
                              owner="Literacy Supervisor", due=dt.date(2024, 12, 15))  # fmt: skip
        pilot = action_add(meeting=fall, user=reviewer, title="Pilot a tutoring attendance app",
                           owner="Director of School Improvement", due=dt.date(2025, 1, 31))  # fmt: skip

    # Winter: the devices line is slow; a revision is agreed and approved within the month.
    with on(winter.day - dt.timedelta(days=12)):
        agenda_add(meeting=winter, user=reviewer, title="Spend-down: devices line is slow")
        agenda_add(meeting=winter, user=leader,
                   title="Move $10,000 from the literacy academy to coach training")  # fmt: skip
    load(dt.date(year.start.year, 11, 1), dt.date(year.end.year, 1, 31),
         winter.day - dt.timedelta(days=8))  # fmt: skip
    held(winter, "0.60", "Devices line behind pace; revision agreed.")
    with on(winter.day, 15):
        for item, status, note in ((hire, "done", "Filled November 1."),
                                   (calendar, "done", ""),
                                   (pilot, "dropped", "Attendance is tracked in the SIS instead.")):  # fmt: skip
            action_close(item=item, user=leader, status=status, note=note, meeting=winter,
                         expected_version=item.version)  # fmt: skip
        devices = action_add(meeting=winter, user=reviewer, title="Order the remaining devices",
                             owner="Chief Operating Officer", due=dt.date(2025, 3, 31))  # fmt: skip
        action_add(meeting=winter, user=reviewer, title="Share family engagement attendance data",
                   owner="Director of Family and Community Engagement", due=dt.date(2025, 4, 15))  # fmt: skip
    # The revision agreed at the winter meeting: a budget-only amendment, approved by state fiscal.
    with on(winter.day + dt.timedelta(days=3)):
        plan = plan_transition(plan_id=plan.pk, action="open_amendment", user=leader,
                               note="Move $10,000 from the K-3 literacy academy to instructional "
                                    "coach training, as agreed at the winter meeting.")  # fmt: skip
        for description, delta in (
            ("K-3 literacy academy", -10000),
            ("Instructional coach training", 10000),
        ):
            line = BudgetLine.objects.get(plan=plan, description=description)
            row_update(obj=line, plan=plan, user=editor, expected_version=line.version,
                       changes={"amount": line.amount + delta})  # fmt: skip
    with on(winter.day + dt.timedelta(days=4)):
        plan = plan_transition(plan_id=plan.pk, action="submit_amendment", user=leader)
    with on(winter.day + dt.timedelta(days=10)):
        plan = plan_transition(
            plan_id=plan.pk, action="approve_budget_amendment", user=users["state.fiscal"]
        )

    # Spring.
    with on(spring.day - dt.timedelta(days=10)):
        agenda_add(meeting=spring, user=reviewer, title="Spring results and next year's plan")
    held(spring, "0.92", "Spring results reviewed; plan for FY2026 discussed.")
    with on(spring.day, 15):
        action_close(item=devices, user=editor, status="done", note="Ordered in March.",
                     meeting=spring, expected_version=devices.version)  # fmt: skip

    # After June 30: the rest of the year's ledger, then the annual review.
    load(dt.date(year.end.year, 2, 1), year.end, year.end + dt.timedelta(days=10))
    with on(year.end + dt.timedelta(days=21)):
        review = annual_review_score(plan=plan, user=reviewer, expected_version=None, scores={
            "implementation": (4, "Every strategy ran; the one vacancy was filled by November."),
            "goals": (3, "Most goals met their path; chronic absenteeism lagged."),
            "spending": (3, "Spent close to plan; devices and family engagement lines lapsed a "
                            "little."),
            "action_items": (3, "Four of five action items closed; one open into the summer."),
        })  # fmt: skip
    with on(year.end + dt.timedelta(days=29)):
        annual_review_decide(review=review, user=users["commissioner"],
                             decision=review.recommendation, note="",
                             expected_version=review.version)  # fmt: skip
