"""A plan's contents and its workflow through the API: the same forms, services and checks as the
pages, and never a silent overwrite."""

from __future__ import annotations

import pytest

from alliance.audit.models import AuditEntry
from alliance.demo.plan import demo_plan_create
from alliance.plans.models import BudgetLine, Plan, Strategy
from tests.api.helpers import send
from tests.plans.helpers import board_approve

pytestmark = pytest.mark.django_db
BRISTOL = "0170011"
PLAN = f"/api/v1/plans/{BRISTOL}/2025"


@pytest.fixture
def draft(demo_users) -> Plan:
    return demo_plan_create()


def test_an_editor_adds_a_line_and_the_budget_follows(api, draft):
    editor = api("district.editor")
    strategy = Strategy.objects.filter(plan=draft).first()
    assert strategy is not None
    before = editor.get(PLAN).json()["document"]["totals"]["budget"]
    line = {"funding_area": "supplies", "object_code": "611",
            "description": "Decodable readers", "strategy": strategy.pk, "amount": "12500.00"}  # fmt: skip
    response = send(editor, "post", f"{PLAN}/lines", line)
    assert response.status_code == 201, response.content
    added = response.json()
    assert (added["amount"], added["school"], added["version"]) == ("12500.00", None, 1)
    after = editor.get(PLAN).json()["document"]["totals"]["budget"]
    assert float(after) == pytest.approx(float(before) + 12500)
    listed = editor.get(f"{PLAN}/lines").json()
    assert added["id"] in [r["id"] for r in listed]
    entry = AuditEntry.objects.get(object_type="budgetline", object_id=added["id"])
    assert entry.action == "create" and entry.user_label == "Dana Reyes"


def test_a_row_is_checked_as_the_page_checks_it(api, draft):
    editor = api("district.editor")
    strategy = Strategy.objects.filter(plan=draft).first()
    assert strategy is not None
    bad = {"funding_area": "yachts", "object_code": "611", "description": "x",
           "strategy": strategy.pk, "amount": "10", "school": "0640111", "colour": "red"}  # fmt: skip
    response = send(editor, "post", f"{PLAN}/lines", bad)
    assert response.status_code == 422  # an unknown field, named, before anything else
    assert "colour" in response.json()["detail"] and "not permitted" in response.json()["detail"]
    del bad["colour"]
    errors = send(editor, "post", f"{PLAN}/lines", bad).json()["errors"]
    assert "yachts" in errors["funding_area"][0]  # not one of the funding areas
    assert "school" in errors  # a Hartford school in Bristol's plan
    assert not BudgetLine.objects.filter(plan=draft, description="x").exists()


def test_a_change_names_the_version_it_read(api, draft):
    editor, leader = api("district.editor"), api("district.leader")
    line = BudgetLine.objects.filter(plan=draft).first()
    assert line is not None
    url = f"{PLAN}/lines/{line.pk}"
    first = send(editor, "patch", f"{url}?version={line.version}", {"amount": "999.00"})
    assert first.status_code == 200 and first.json()["amount"] == "999.00"
    assert first.json()["version"] == line.version + 1
    assert first.json()["description"] == line.description  # only the fields sent change
    stale = send(leader, "patch", f"{url}?version={line.version}", {"amount": "1.00"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == line.version + 1
    line.refresh_from_db()
    assert str(line.amount) == "999.00"
    gone = send(leader, "delete", f"{url}?version={line.version}")
    assert gone.status_code == 204 and not BudgetLine.objects.filter(pk=line.pk).exists()
    assert send(leader, "delete", f"{url}?version={line.version}").status_code == 404


def test_a_strategy_still_served_is_not_deleted(api, draft):
    strategy = Strategy.objects.filter(plan=draft, lines__isnull=False).first()
    assert strategy is not None
    response = send(
        api("district.editor"),
        "delete",
        f"{PLAN}/strategies/{strategy.pk}?version={strategy.version}",
    )
    assert response.status_code == 422 and "move or delete them first" in response.json()["detail"]
    assert Strategy.objects.filter(pk=strategy.pk).exists()


def test_only_the_districts_editors_change_a_draft(api, draft, demo_users):
    line = BudgetLine.objects.filter(plan=draft).first()
    assert line is not None
    url = f"{PLAN}/lines/{line.pk}?version={line.version}"
    assert send(api("board.viewer"), "patch", url, {"amount": "1"}).status_code == 403
    assert send(api("state.reviewer"), "patch", url, {"amount": "1"}).status_code == 403
    assert send(api("hartford.editor"), "patch", url, {"amount": "1"}).status_code == 404
    board_approve(draft, demo_users)
    assert (
        send(api("district.leader"), "post", f"{PLAN}/actions", {"action": "submit"}).status_code
        == 200
    )
    locked = send(api("district.editor"), "patch", url, {"amount": "1"})
    assert locked.status_code == 409 and "cannot change" in locked.json()["detail"]


def test_the_workflow_moves_through_the_api(api, draft, demo_users):
    leader, reviewer = api("district.leader"), api("state.reviewer")
    assert "submit" in [a["action"] for a in leader.get(f"{PLAN}/actions").json()]
    early = send(leader, "post", f"{PLAN}/actions", {"action": "submit"})
    assert early.status_code == 409 and "Board" in early.json()["detail"]
    board_approve(draft, demo_users)
    submitted = send(leader, "post", f"{PLAN}/actions", {"action": "submit"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert [a["action"] for a in reviewer.get(f"{PLAN}/actions").json()] == ["start_review"]
    refused = send(api("district.editor"), "post", f"{PLAN}/actions", {"action": "approve"})
    assert refused.status_code == 403
    assert send(reviewer, "post", f"{PLAN}/actions", {"action": "start_review"}).status_code == 200
    returned = send(reviewer, "post", f"{PLAN}/actions", {"action": "return"})
    assert returned.status_code == 422 and "note" in returned.json()["errors"]
    ok = send(
        reviewer, "post", f"{PLAN}/actions", {"action": "return", "note": "Tie goals to NGAS."}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "returned"


def test_goals_and_positions_take_schools_by_their_codes(api, draft):
    editor = api("district.editor")
    strategy = Strategy.objects.filter(plan=draft).first()
    assert strategy is not None
    school = draft.district.schools.order_by("code").first()
    assert school is not None
    goal = send(editor, "post", f"{PLAN}/goals", {
        "strategy": strategy.pk, "measure": "local", "school": school.code,
        "description": "Grade 3 readers at benchmark", "target": 100, "unit": "percent",
        "baseline": "80", "winter": True,
    }).json()  # fmt: skip
    assert (goal["school"], goal["target"], goal["baseline"]) == (school.code, "100", "80")
    assert (goal["fall"], goal["winter"], goal["spring"]) == (False, True, True)  # spring: default
    assert goal["student_group"] == "All students"  # the model's default
    position = send(editor, "post", f"{PLAN}/positions", {
        "title": "Reading interventionist", "staff_category": "direct_service",
        "strategy": strategy.pk, "school": school.code, "fte": "0.5", "salary": "70000",
        "grant_share": "1", "vacant_until": "2024-10-01",
    })  # fmt: skip
    assert position.status_code == 201, position.content
    body = position.json()
    assert (body["fte"], body["salary"], body["vacant_until"]) == ("0.50", "70000.00", "2024-10-01")
    same = send(
        editor, "patch", f"{PLAN}/positions/{body['id']}?version=1", {"school": school.code}
    )
    assert same.json()["version"] == 1  # nothing changed, nothing saved
    moved = send(editor, "patch", f"{PLAN}/positions/{body['id']}?version=1", {"school": None})
    assert moved.status_code == 200 and moved.json()["school"] is None
    assert moved.json()["version"] == 2


def test_contacts_change_whatever_the_plans_status(api, funded):
    leader = api("district.leader")
    added = send(leader, "post", f"{PLAN}/contacts",
                 {"name": "Morgan Price", "title": "Business Manager", "presents": True})  # fmt: skip
    assert added.status_code == 201, added.content
    contact = added.json()
    bad = send(leader, "patch", f"{PLAN}/contacts/{contact['id']}?version=1", {"email": "mprice@"})
    assert bad.status_code == 422 and "email" in bad.json()["errors"]
    moved = send(leader, "patch", f"{PLAN}/contacts/{contact['id']}?version=1",
                 {"email": "mprice@example.org"})  # fmt: skip
    assert moved.status_code == 200 and moved.json()["email"] == "mprice@example.org"
    assert send(leader, "delete", f"{PLAN}/contacts/{contact['id']}?version=1").status_code == 409
    assert send(leader, "delete", f"{PLAN}/contacts/{contact['id']}?version=2").status_code == 204


def test_a_strategy_serves_a_school_at_a_tier(api, draft):
    editor = api("district.editor")
    strategy = Strategy.objects.filter(plan=draft).first()
    assert strategy is not None
    school = draft.district.schools.order_by("code").first()
    assert school is not None
    url = f"{PLAN}/strategies/{strategy.pk}/schools/{school.code}"
    served = send(editor, "put", url, {"tier": 2})
    assert served.status_code == 200 and served.json()["tier"] == 2
    assert send(editor, "put", url, {"tier": 4}).status_code == 422
    elsewhere = send(editor, "put", f"{PLAN}/strategies/{strategy.pk}/schools/0640111", {"tier": 1})
    assert elsewhere.status_code == 404  # a Hartford school
    document = editor.get(PLAN).json()["document"]
    mine = next(s for s in document["strategies"] if s["id"] == strategy.pk)
    assert {"code": school.code, "name": school.name, "tier": 2} in mine["schools"]


def test_listing_rows_keeps_its_query_count_as_the_plan_grows(api, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor = api("district.editor")
    editor.get("/api/v1/me")  # the token's first use is noted once
    with CaptureQueriesContext(connection) as before:
        count = len(editor.get(f"{PLAN}/lines").json())
    template = BudgetLine.objects.filter(plan=draft).select_related("school").first()
    assert template is not None
    BudgetLine.objects.bulk_create([
        BudgetLine(plan=draft, strategy_id=template.strategy_id, funding_area="supplies",
                   object_code="611", description=f"More {i}", school=template.school,
                   amount=template.amount)
        for i in range(30)
    ])  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        assert len(editor.get(f"{PLAN}/lines").json()) == count + 30
    assert len(after) == len(before)
