"""Bristol's FY2025 demo plan: the kinds of spending districts present to their Boards, adding up to
the real FY2025 Alliance allocation ($12,061,630). The split is illustrative; the plan says so."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from alliance.plans.models import BudgetLine, Plan, Position, Strategy
from alliance.plans.selectors import plan_contents
from alliance.plans.services import (
    contact_add,
    goal_add,
    line_add,
    plan_create,
    position_add,
    strategy_add,
)
from alliance.registry.models import District

BRISTOL = "0170011"
FISCAL_YEAR = 2025
BENEFITS_RATE = Decimal("0.3200")  # illustrative

STRATEGIES = [
    ("interventions", "tiered_interventions", "Tiered academic interventions",
     "Interventionists and tutors give Tier 2 and Tier 3 support in reading and math, guided by "
     "benchmark assessments three times a year.", "Director of School Improvement", "tier2"),
    ("coaching", "talent", "Instructional coaching and professional learning",
     "Instructional coaches and a professional learning series build strong core instruction.",
     "Assistant Superintendent for Teaching and Learning", "tier3"),
    ("literacy", "k3_reading", "K-3 foundational literacy",
     "A literacy academy for K-3 teachers on the science of reading.", "Literacy Supervisor", "tier1"),
    ("enrichment", "district_specific", "Gifted and talented and enrichment",
     "Gifted and talented teachers widen advanced learning in every elementary school.",
     "Director of Curriculum", "tier4"),
    ("families", "wraparound", "Family engagement and career development",
     "Family engagement specialists and career development coordinators connect families and "
     "students with school and community programs.", "Director of Family and Community Engagement",
     "tier3"),
    ("operations", "district_specific", "School improvement coordination and operations",
     "Coordinators, high school administration, data and technology staff and grants management "
     "that keep the plan running.", "Chief Operating Officer", "none"),
]  # fmt: skip

# (strategy, title, staff category, how many, salary, FTE)
POSITIONS = [
    ("interventions", "Academic interventionist", "direct_service", 30, "82000", "1"),
    ("interventions", "Tutor", "direct_service", 20, "40000", "0.5"),
    ("coaching", "Instructional coach", "direct_service", 12, "88000", "1"),
    ("enrichment", "Gifted and talented teacher", "direct_service", 6, "80000", "1"),
    ("families", "Family engagement specialist", "direct_service", 6, "62000", "1"),
    ("families", "Career development coordinator", "direct_service", 3, "70000", "1"),
    ("operations", "School improvement coordinator", "administrative", 4, "105000", "1"),
    ("operations", "High school assistant principal", "administrative", 3, "135000", "1"),
    ("operations", "Student and performance data analyst", "administrative", 3, "85000", "1"),
    ("operations", "Grants manager", "administrative", 1, "98000", "1"),
    ("operations", "Technology support technician", "operational", 5, "58000", "1"),
    ("operations", "Grants and payroll clerk", "operational", 2, "52000", "1"),
]

# (strategy, funding area, object code, description, vendor, amount)
LINES = [
    ("interventions", "progress_monitoring", "500", "Benchmark assessment and progress-monitoring software", "", "325000"),
    ("coaching", "professional_development", "300", "Building Thinking Classrooms professional development", "", "180000"),
    ("coaching", "professional_development", "300", "PD WINS professional learning series", "", "150000"),
    ("literacy", "professional_development", "300", "K-3 literacy academy", "", "420000"),
    ("coaching", "professional_development", "300", "Instructional coach training", "", "95000"),
    ("coaching", "supplies", "600", "Supplies for professional development", "", "60000"),
    ("families", "family_engagement", "600", "Family engagement nights and materials", "", "85000"),
    ("operations", "supplies", "600", "School improvement office supplies", "", "25000"),
    ("interventions", "purchased_services", "500", "Transportation for extended-day tutoring", "", "240000"),
    ("interventions", "technology", "700", "Devices for intervention groups", "", "300000"),
    ("interventions", "other", "100", "Summer learning academy teacher stipends", "", "600000"),
]  # fmt: skip
# The rest of the allocation buys intervention curriculum materials, so the budget balances exactly.
REMAINDER = ("interventions", "supplies", "600", "Tiered intervention curriculum materials", "")

GOALS = [
    ("interventions", "ngas", "Ind1ELA_All", "District ELA Performance Index, all students", "All students", "66", "index points"),
    ("interventions", "ngas", "Ind1Math_HN", "District math Performance Index, high-needs students", "High needs", "56", "index points"),
    ("literacy", "local", "", "K-3 students at or above benchmark on the winter reading assessment", "All students", "60", "% of students"),
    ("coaching", "local", "", "Classrooms observed using the coaching cycle's core practices", "All students", "75", "% of classrooms"),
    ("enrichment", "local", "", "Grade 3-5 students in an enrichment course", "All students", "20", "% of students"),
    ("families", "ngas", "Ind4_All", "Chronic absenteeism, all students", "All students", "0.15", "share of students"),
    ("operations", "ngas", "Ind7", "Ninth graders on track to graduate", "All students", "0.92", "share of students"),
]  # fmt: skip


# Who presents the plan to Bristol's Board, and who keeps it (illustrative people, as the users are).
CONTACTS = [
    ("Avery Collins", "Superintendent of Schools", "", True),
    ("Lee Morgan", "Director of School Improvement", "district.leader@example.org", True),
    ("Dana Reyes", "Grants Specialist", "district.editor@example.org", False),
]


def demo_plan_create() -> Plan:
    """Build (or rebuild) the demo plan; the result is the same every time."""
    district = District.objects.get(code=BRISTOL)
    with transaction.atomic():
        old = Plan.objects.filter(district=district, fiscal_year=FISCAL_YEAR).first()
        if old is not None:
            BudgetLine.objects.filter(plan=old).delete()
            Position.objects.filter(plan=old).delete()
            old.delete()
        plan = plan_create(district=district, fiscal_year=FISCAL_YEAR, user=None)
        plan.benefits_rate = BENEFITS_RATE
        plan.illustrative = True
        plan.save(update_fields=["benefits_rate", "illustrative"])
        strategies: dict[str, Strategy] = {}
        for order, (key, area, title, description, owner, evidence) in enumerate(STRATEGIES):
            strategies[key] = strategy_add(
                plan=plan, user=None, focus_area=area, title=title, description=description,
                owner=owner, evidence_level=evidence, position=order,
            )  # fmt: skip
        for key, measure, cell, description, group, target, unit in GOALS:
            goal_add(
                strategy=strategies[key], user=None, measure=measure, ngas_cell=cell,
                description=description, student_group=group, target=Decimal(target), unit=unit,
                fall=measure == "local", winter=True, spring=True,
            )  # fmt: skip
        for key, title, category, count, salary, fte in POSITIONS:
            for number in range(1, count + 1):
                position_add(
                    plan=plan, user=None, strategy=strategies[key],
                    title=f"{title} {number}" if count > 1 else title, staff_category=category,
                    fte=Decimal(fte), salary=Decimal(salary),
                )  # fmt: skip
        for key, area, code, description, vendor, amount in LINES:
            line_add(
                plan=plan, user=None, strategy=strategies[key], funding_area=area,
                object_code=code, description=description, vendor=vendor, amount=Decimal(amount),
            )  # fmt: skip
        key, area, code, description, vendor = REMAINDER
        # What the budget arithmetic says is left, so the demo cannot disagree with the product.
        rest = plan_contents(plan).budget.difference
        if rest <= 0:
            raise ValueError(f"The demo plan overspends the allocation by {-rest}")
        line_add(
            plan=plan, user=None, strategy=strategies[key], funding_area=area, object_code=code,
            description=description, vendor=vendor, amount=rest,
        )  # fmt: skip
        for name, title, email, presents in CONTACTS:
            contact_add(plan=plan, user=None, name=name, title=title, email=email,
                        presents=presents)  # fmt: skip
    return plan


__all__ = ["demo_plan_create"]
