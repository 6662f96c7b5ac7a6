"""The annual review: the reviewer scores the rubric, the average gives the recommendation, the
Commissioner confirms or decides otherwise with a reason; the decision shows on the district's page
and on next year's plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from alliance.audit.models import AuditEntry
from alliance.monitoring.services import annual_review_decide, annual_review_score
from alliance.plans.models import Plan
from alliance.plans.services import Conflict, PlanError, plan_copy_forward

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"
GOOD = {
    "implementation": (4, "Every strategy ran as planned."),
    "goals": (3, "Five of seven goals on track by spring."),
    "spending": (3, "98% spent; the lapse came from a late hire."),
    "action_items": (2, "Two of five action items still open."),
}


def test_the_average_gives_the_recommendation(funded, demo_users):
    review = annual_review_score(
        plan=funded, user=demo_users["state.reviewer"], scores=GOOD, expected_version=None
    )
    assert (review.average, review.recommendation) == (Decimal("3.00"), "continue")
    weaker = {**GOOD, "implementation": (1, "Half the strategies never started.")}
    review = annual_review_score(
        plan=funded, user=demo_users["state.reviewer"], scores=weaker,
        expected_version=review.version,
    )  # fmt: skip
    assert (review.average, review.recommendation) == (Decimal("2.25"), "continue_with_conditions")
    with pytest.raises(Conflict):
        annual_review_score(plan=funded, user=demo_users["state.reviewer"], scores=GOOD,
                            expected_version=1)  # fmt: skip


def test_every_criterion_needs_a_score_in_range_and_a_comment(funded, demo_users):
    with pytest.raises(PlanError) as error:
        annual_review_score(
            plan=funded, user=demo_users["state.reviewer"],
            scores={**GOOD, "goals": (5, "x"), "spending": (3, " ")}, expected_version=None,
        )  # fmt: skip
    assert error.value.fields == {
        "goals": ["Score “Movement on the plan's goals” from 1 to 4."],
        "spending": ["Say why “Spending pace and lapse” scores 3."],
    }
    with pytest.raises(PermissionDenied):
        annual_review_score(plan=funded, user=demo_users["commissioner"], scores=GOOD,
                            expected_version=None)  # fmt: skip


def test_the_commissioner_decides_and_says_why_when_it_differs(funded, demo_users, client_for):
    review = annual_review_score(
        plan=funded, user=demo_users["state.reviewer"], scores=GOOD, expected_version=None
    )
    with pytest.raises(PermissionDenied):
        annual_review_decide(review=review, user=demo_users["state.reviewer"],
                             decision="continue", note="", expected_version=review.version)  # fmt: skip
    with pytest.raises(PlanError, match="Say why the decision differs"):
        annual_review_decide(review=review, user=demo_users["commissioner"],
                             decision="continue_with_conditions", note="",
                             expected_version=review.version)  # fmt: skip
    decided = annual_review_decide(
        review=review, user=demo_users["commissioner"], decision="continue_with_conditions",
        note="Fill the vacant interventionist seats by September 1.",
        expected_version=review.version,
    )  # fmt: skip
    assert decided.stage == "decided"
    with pytest.raises(PlanError, match="the scores are final"):
        annual_review_score(plan=funded, user=demo_users["state.reviewer"], scores=GOOD,
                            expected_version=decided.version)  # fmt: skip
    district = client_for("board.viewer").get("/districts/0170011/").content.decode()
    assert "FY2025 annual review" in district and "Continue with conditions" in district
    # Next year's plan shows the decision it rests on.
    plan_copy_forward(source=funded, fiscal_year=2026, decisions={}, salary_increase=Decimal(0),
                      user=demo_users["district.editor"])  # fmt: skip
    page = client_for("district.editor").get("/districts/0170011/plans/2026/").content.decode()
    assert "FY2025 annual review: <strong>Continue with conditions</strong>" in page
    assert "Fill the vacant interventionist seats by September 1." in page
    actions = AuditEntry.objects.filter(object_type="annualreview").values_list("action", flat=True)
    assert sorted(actions) == ["create", "update"]


def test_the_annual_review_pages(funded, client_for):
    data = {"version": ""}
    for code, (score, comment) in GOOD.items():
        data[f"score-{code}"] = str(score)
        data[f"comment-{code}"] = comment
    reviewer = client_for("state.reviewer")
    assert reviewer.post(PLAN + "annual-review/scores/", data).status_code == 302
    page = client_for("commissioner").get(PLAN + "annual-review/").content.decode()
    assert "Average 3.00: recommendation <strong>Continue funding</strong>" in page
    assert "Record the decision" in page
    missing = {**data, "comment-goals": ""}
    assert reviewer.post(PLAN + "annual-review/scores/", missing).status_code == 422
    assert (
        client_for("district.editor")
        .post(PLAN + "annual-review/decision/", {"decision": "continue", "version": "1"})
        .status_code
        == 403
    )
    review = Plan.objects.get(pk=funded.pk).annual_review
    assert review.stage == "scored"
