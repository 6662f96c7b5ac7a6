"""The audit trail: every change with who, when, before and after; nothing can be changed or removed."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.audit.models import AppendOnly, AuditEntry
from alliance.demo.plan import demo_plan_create
from alliance.plans.models import BudgetLine
from alliance.plans.services import Conflict, line_add, row_delete, row_update

pytestmark = pytest.mark.django_db
HISTORY = "/districts/0170011/plans/2025/history/"


@pytest.fixture
def plan(demo_users):
    return demo_plan_create()


def entries_for(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk).order_by("id")
    )


def test_create_update_and_delete_are_recorded_with_who_and_what(plan, demo_users):
    dana = demo_users["district.editor"]
    strategy = plan.strategies.first()
    line = line_add(
        plan=plan,
        user=dana,
        strategy=strategy,
        funding_area="supplies",
        object_code="611",
        description="Readers",
        amount=Decimal("10"),
    )
    row_update(
        obj=line, plan=plan, user=dana, expected_version=1, changes={"amount": Decimal("12.50")}
    )
    row_delete(obj=BudgetLine.objects.get(pk=line.pk), plan=plan, expected_version=2, user=dana)
    created, updated, deleted = entries_for(line)
    assert [e.action for e in (created, updated, deleted)] == ["create", "update", "delete"]
    assert all(e.user == dana and e.user_label == "Dana Reyes" for e in (created, updated, deleted))
    assert created.changes["amount"] == [None, "10.00"] and created.changes["description"] == [
        None,
        "Readers",
    ]
    assert updated.changes == {"amount": ["10.00", "12.50"]}
    assert deleted.changes["amount"] == ["12.50", None]
    assert (created.district_code, created.fiscal_year) == ("0170011", 2025)


def test_a_conflict_leaves_one_entry_for_the_one_change_that_happened(plan, demo_users):
    line = plan.lines.first()
    first = BudgetLine.objects.get(pk=line.pk)
    second = BudgetLine.objects.get(pk=line.pk)
    before = len(entries_for(line))
    row_update(
        obj=first,
        plan=plan,
        user=demo_users["district.editor"],
        expected_version=1,
        changes={"amount": Decimal("1")},
    )
    with pytest.raises(Conflict):
        row_update(
            obj=second,
            plan=plan,
            user=demo_users["district.leader"],
            expected_version=1,
            changes={"amount": Decimal("2")},
        )
    assert len(entries_for(line)) == before + 1


def test_entries_cannot_be_changed_or_removed(plan):
    entry = AuditEntry.objects.first()
    entry.user_label = "someone else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(user_label="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).user_label == "system"


def test_the_product_has_no_path_that_edits_or_deletes_history(client_for, plan):
    client = client_for("state.admin")
    count = AuditEntry.objects.count()
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(HISTORY).status_code == 405
    assert AuditEntry.objects.count() == count


def test_the_demo_plan_is_in_its_history(client_for, plan):
    response = client_for("board.viewer").get(HISTORY)
    assert response.status_code == 200
    kinds = set(response.context["kinds"])
    assert {"plan", "strategy", "goal", "position", "budgetline"} <= kinds
    assert "Tiered intervention curriculum materials" in response.content.decode()


def test_history_filters_and_csv(client_for, plan, demo_users):
    line = plan.lines.first()
    before = f"{line.amount:.2f}"
    row_update(
        obj=line,
        plan=plan,
        user=demo_users["district.leader"],
        expected_version=1,
        changes={"amount": Decimal("99")},
    )
    client = client_for("district.editor")
    shown = client.get(HISTORY, {"user_label": "Lee Morgan"}).context["entries"]
    assert [e.action for e in shown] == ["update"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(HISTORY, {"user_label": "Lee Morgan", "format": "csv"}).content.decode()
            )
        )
    )
    assert rows == [
        {
            "at": rows[0]["at"], "user": "Lee Morgan", "action": "update", "object_type": "budgetline",
            "object_id": str(line.pk), "object": str(line), "field": "amount",
            "before": before, "after": "99.00",
        }
    ]  # fmt: skip
    assert (
        client.get(HISTORY, {"object_type": "position", "action": "delete"}).context["entries"]
        == []
    )


def test_other_districts_do_not_see_the_history(client_for, plan):
    assert client_for("hartford.editor").get(HISTORY).status_code == 404


def test_history_query_count_does_not_grow(client_for, plan, demo_users):
    client = client_for("district.editor")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HISTORY).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for line in plan.lines.all()[:5]:
        row_update(
            obj=line,
            plan=plan,
            user=demo_users["district.editor"],
            expected_version=line.version,
            changes={"vendor": "Acme"},
        )
    assert count() == before
