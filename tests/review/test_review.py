"""The review: the checklist from rules data, a decision per item, comments per section, the
queue, and what the district sees when its plan comes back."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.accounts.models import Membership, User
from alliance.accounts.roles import Role
from alliance.audit.models import AuditEntry
from alliance.demo.plan import demo_plan_create
from alliance.plans.models import Plan
from alliance.plans.services import Conflict, PlanError, plan_create
from alliance.plans.workflow import plan_transition
from alliance.registry.models import District
from alliance.review.checklist import checklist_rules
from alliance.review.models import ChecklistItem, ReviewResponse
from alliance.review.selectors import plan_review
from alliance.review.services import comment_add, review_decide
from tests.plans.helpers import board_approve, review_all, walk

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"


@pytest.fixture
def under_review(demo_users) -> Plan:
    plan = demo_plan_create()
    board_approve(plan, demo_users)
    return walk(
        plan, demo_users, [("submit", "district.leader"), ("start_review", "state.reviewer")]
    )


def _item(code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(code=code)


def test_the_checklist_starts_from_the_rules_with_their_sources():
    rules = checklist_rules()
    items = list(ChecklistItem.objects.all())
    assert [i.code for i in items] == [i.code for i in rules.items]
    assert all(i.source and i.active for i in items)
    assert {i.section for i in items} == {s.code for s in rules.sections}
    board = _item("governance.board")
    assert "10-262i(c)" in board.source


def test_revise_says_what_to_fix_and_only_a_reviewer_decides(under_review, demo_users):
    reviewer = demo_users["state.reviewer"]
    item = _item("goals.measurable")
    with pytest.raises(PlanError, match="Say what the district should revise"):
        review_decide(
            plan=under_review, item=item, user=reviewer, decision="revise", comment=" ",
            expected_version=None,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        review_decide(
            plan=under_review, item=item, user=demo_users["commissioner"], decision="approve",
            comment="", expected_version=None,
        )  # fmt: skip
    response = review_decide(
        plan=under_review, item=item, user=reviewer, decision="revise",
        comment="Add a baseline to the attendance goal.", expected_version=None,
    )  # fmt: skip
    review_decide(
        plan=under_review, item=item, user=reviewer, decision="approve", comment="",
        expected_version=response.version,
    )  # fmt: skip
    entries = AuditEntry.objects.filter(object_type="reviewresponse").order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["decision"] == ["revise", "approve"]


def test_two_reviewers_on_one_item_the_second_is_told(under_review, demo_users):
    second = User.objects.create_user("second.reviewer", first_name="Sam", last_name="Second")
    Membership.objects.create(user=second, role=Role.STATE_REVIEWER)
    item = _item("budget.educational")
    first = review_decide(
        plan=under_review, item=item, user=demo_users["state.reviewer"], decision="approve",
        comment="", expected_version=None,
    )  # fmt: skip
    with pytest.raises(Conflict, match="Riley Chen changed this since you opened it"):
        review_decide(
            plan=under_review, item=item, user=second, decision="revise", comment="No.",
            expected_version=None,
        )  # fmt: skip
    review_decide(
        plan=under_review, item=item, user=second, decision="na", comment="",
        expected_version=first.version,
    )  # fmt: skip
    with pytest.raises(Conflict):
        review_decide(
            plan=under_review, item=item, user=demo_users["state.reviewer"], decision="revise",
            comment="Stale.", expected_version=first.version,
        )  # fmt: skip
    assert ReviewResponse.objects.get(plan=under_review, item=item).decision == "na"


def test_recommending_needs_every_item_decided_and_none_to_revise(under_review, demo_users):
    reviewer = demo_users["state.reviewer"]
    with pytest.raises(PlanError) as error:
        plan_transition(plan_id=under_review.pk, action="recommend", user=reviewer)
    assert len(error.value.fields["__all__"]) == ChecklistItem.objects.count()
    review_all(under_review, reviewer)
    response = ReviewResponse.objects.get(plan=under_review, item=_item("strategies.reading"))
    review_decide(
        plan=under_review, item=response.item, user=reviewer, decision="revise",
        comment="Say how K-3 reading is covered.", expected_version=response.version,
    )  # fmt: skip
    with pytest.raises(PlanError) as error:
        plan_transition(plan_id=under_review.pk, action="recommend", user=reviewer)
    assert error.value.fields["__all__"] == [
        f"Checklist item “{response.item.text}” is marked Revise."
    ]


def test_the_district_sees_what_to_fix_when_the_plan_comes_back(
    under_review, demo_users, client_for
):
    reviewer = client_for("state.reviewer")
    item = _item("goals.measurable")
    response = reviewer.post(
        PLAN + f"review/items/{item.pk}/",
        {f"item-{item.pk}-decision": "revise",
         f"item-{item.pk}-comment": "Add a baseline to each goal."},
    )  # fmt: skip
    assert response.status_code == 302
    reviewer.post(PLAN + "actions/return/", {"note": "See the checklist."})
    page = client_for("district.editor").get(PLAN).content.decode()
    assert "To revise before resubmitting" in page
    assert item.text in page and "Add a baseline to each goal." in page
    district = client_for("district.editor").get("/districts/0170011/").content.decode()
    assert "Returned for revision" in district and "revisions and resubmission" in district


def test_comments_are_threaded_per_section(under_review, demo_users, client_for):
    reviewer = client_for("state.reviewer")
    reviewer.post(PLAN + "review/comments/", {"section": "budget", "body": "Why 12 coaches?"})
    question = under_review.comments.get()
    editor = client_for("district.editor")
    editor.post(
        PLAN + "review/comments/",
        {"section": "goals", "parent": question.pk, "body": "One per elementary school."},
    )
    answer = under_review.comments.exclude(pk=question.pk).get()
    # A reply joins its thread's section whatever the form said.
    assert answer.parent == question and answer.section == "budget"
    page = client_for("district.leader").get(PLAN + "review/").content.decode()
    assert page.index("Why 12 coaches?") < page.index("One per elementary school.")
    assert "Reply to Riley Chen" in page
    viewer = client_for("board.viewer")
    assert (
        viewer.post(PLAN + "review/comments/", {"section": "budget", "body": "Hi"}).status_code
        == 403
    )
    assert under_review.comments.count() == 2  # the Board viewer reads, does not comment
    assert client_for("hartford.editor").get(PLAN + "review/").status_code == 404
    assert AuditEntry.objects.filter(object_type="comment", action="create").count() == 2
    with pytest.raises(PermissionDenied):
        comment_add(plan=under_review, user=demo_users["board.viewer"], section="budget", body="x")


def test_the_review_page_shows_the_submitted_version_beside_the_checklist(under_review, client_for):
    page = client_for("state.reviewer").get(PLAN + "review/").content.decode()
    assert "What the district submitted: " in page and "version 1" in page
    assert "Tiered academic interventions" in page
    assert page.count('type="radio"') == 3 * ChecklistItem.objects.count()
    # The district reads the checklist but cannot decide.
    district = client_for("district.editor").get(PLAN + "review/").content.decode()
    assert 'type="radio"' not in district and "No decision" in district


def test_the_state_admin_keeps_the_checklist(client_for):
    item = _item("budget.positions")
    data = {
        f"item-{item.pk}-section": "budget", f"item-{item.pk}-code": "budget.positions",
        f"item-{item.pk}-text": "Positions list FTE, salary, benefits and grant share.",
        f"item-{item.pk}-source": item.source, f"item-{item.pk}-position": "5",
        f"item-{item.pk}-active": "on", "version": str(item.version),
    }  # fmt: skip
    assert (
        client_for("state.reviewer").post(f"/review/checklist/{item.pk}/", data).status_code == 403
    )
    admin = client_for("state.admin")
    assert admin.post(f"/review/checklist/{item.pk}/", data).status_code == 302
    item.refresh_from_db()
    assert item.text == "Positions list FTE, salary, benefits and grant share."
    stale = admin.post(f"/review/checklist/{item.pk}/", data)  # the version it started from
    assert stale.status_code == 422 and "nothing was overwritten" in stale.content.decode()
    entry = AuditEntry.objects.get(object_type="checklistitem", action="update")
    assert entry.changes["text"][1] == item.text and entry.user_label == "Avery Patel"
    new = {
        "new-section": "governance", "new-code": "governance.public", "new-text": "Plan posted.",
        "new-source": "District practice", "new-position": "200", "new-active": "on",
    }  # fmt: skip
    assert admin.post("/review/checklist/0/", new).status_code == 302
    assert ChecklistItem.objects.filter(code="governance.public", active=True).exists()
    page = admin.get("/review/checklist/").content.decode()
    assert "Positions list FTE" in page and "Changes to the checklist" in page


def test_the_queue_lists_plans_waiting_on_csde_the_longest_first(demo_users, client_for):
    with time_machine.travel(dt.datetime(2024, 8, 1, 14, tzinfo=dt.UTC), tick=False):
        plan = demo_plan_create()
        board_approve(plan, demo_users)
        walk(plan, demo_users, [("submit", "district.leader")])
    with time_machine.travel(dt.datetime(2024, 8, 11, 14, tzinfo=dt.UTC), tick=False):
        page = client_for("state.reviewer").get("/review/").content.decode()
        csv = client_for("state.reviewer").get("/review/?format=csv").content.decode()
    assert "Bristol" in page and "Submitted" in page
    assert "0170011,Bristol School District,2025,Submitted,2024-08-01,10,," in csv
    assert client_for("district.leader").get("/review/").status_code == 403
    reviewer_id = demo_users["state.reviewer"].pk
    walk(plan, demo_users, [("start_review", "state.reviewer")])
    mine = client_for("state.reviewer").get(f"/review/?reviewer={reviewer_id}").content.decode()
    assert "Under review" in mine and "Riley Chen" in mine
    unassigned = client_for("state.reviewer").get("/review/?reviewer=none").content.decode()
    assert "No plan matches." in unassigned


def test_the_queue_query_count_does_not_grow_with_plans(demo_users, client_for):
    client = client_for("state.reviewer")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/review/?status=all").status_code == 200
        return len(captured.captured_queries)

    demo_plan_create()
    before = count()
    for district in District.objects.filter(allocations__fiscal_year=2025)[:5]:
        if not Plan.objects.filter(district=district, fiscal_year=2025).exists():
            plan_create(district=district, fiscal_year=2025, user=None)
    assert Plan.objects.count() >= 5
    assert count() == before


def test_a_plan_review_counts_its_comments(under_review, demo_users):
    comment = comment_add(
        plan=under_review, user=demo_users["state.reviewer"], section="strategies", body="Good."
    )
    comment_add(
        plan=under_review, user=demo_users["district.leader"], section="strategies", body="Thanks",
        parent=comment,
    )  # fmt: skip
    assert plan_review(under_review).comment_count == 2


def test_the_review_page_query_count_does_not_grow_with_comments_or_decisions(
    under_review, demo_users, client_for
):
    client = client_for("state.reviewer")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PLAN + "review/").status_code == 200
        return len(captured.captured_queries)

    def thread(n: int) -> None:
        comment = comment_add(
            plan=under_review, user=demo_users["state.reviewer"], section="budget", body=f"Q{n}"
        )
        comment_add(
            plan=under_review, user=demo_users["district.editor"], section="budget",
            body=f"A{n}", parent=comment,
        )  # fmt: skip

    # The first decision and the first thread each add their one query; more add none.
    review_decide(
        plan=under_review, item=_item("budget.educational"), user=demo_users["state.reviewer"],
        decision="approve", comment="", expected_version=None,
    )  # fmt: skip
    thread(0)
    before = count()
    for item in ChecklistItem.objects.exclude(code="budget.educational"):
        review_decide(
            plan=under_review, item=item, user=demo_users["state.reviewer"], decision="approve",
            comment="", expected_version=None,
        )  # fmt: skip
    for n in range(1, 9):
        thread(n)
    assert count() == before
