"""Expenditures in the product: the import through a mapping, matching to budget items, the rows
left to assign, and the spend-down page as of a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.audit.models import AuditEntry
from alliance.demo.plan import demo_plan_create
from alliance.monitoring.expenditures import ExpenditureFileError
from alliance.monitoring.models import Expenditure, ExpenditureImport
from alliance.monitoring.selectors import plan_spending
from alliance.monitoring.services import expenditure_add, expenditure_assign, expenditure_import
from alliance.plans.models import BudgetLine, Plan, Position
from alliance.plans.services import PlanError

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"
MAPPING = {"date": "Date", "object_code": "Object", "description": "Description",
           "vendor": "Vendor", "amount": "Amount"}  # fmt: skip
LEDGER = (
    "Date,Object,Description,Vendor,Amount\n"
    '2024-09-15,700,Chromebooks for intervention groups,Tech Co,"$120,000.00"\n'
    '2024-10-01,300,K-3 literacy academy,Reading Inst,"42,000"\n'
    '2024-10-31,111,Instructional coach 12 payroll October,,"7,333.33"\n'
    "2024-11-05,300,Conference registration,PD Co,1500.00\n"
)


def load(plan, users, text=LEDGER, name="ledger.csv", who="district.editor"):
    return expenditure_import(
        plan=plan, name=name, content=text.encode(), mapping=MAPPING, user=users[who]
    )


def test_an_import_matches_rows_to_lines_and_positions(funded, demo_users):
    summary = load(funded, demo_users)
    assert (summary.source.rows, summary.matched, summary.unmatched) == (4, 3, 1)
    assert summary.source.total == Decimal("170833.33")
    rows = {e.description: e for e in Expenditure.objects.filter(plan=funded)}
    devices = BudgetLine.objects.get(plan=funded, object_code="700")
    assert rows["Chromebooks for intervention groups"].line == devices
    academy = BudgetLine.objects.get(plan=funded, description="K-3 literacy academy")
    assert rows["K-3 literacy academy"].line == academy
    coach = rows["Instructional coach 12 payroll October"]
    assert (coach.kind, coach.position.title) == ("salary", "Instructional coach 12")
    assert rows["Conference registration"].kind == ""  # four lines have 300; none is named so
    entry = AuditEntry.objects.get(object_type="expenditureimport", action="import")
    assert entry.user_label == "Dana Reyes" and entry.changes["rows"] == [None, "4"]


def test_the_same_file_twice_is_refused_and_adds_nothing(funded, demo_users):
    load(funded, demo_users)
    with pytest.raises(PlanError, match=r"ledger again\.csv was already loaded on"):
        load(funded, demo_users, name="ledger again.csv")
    assert Expenditure.objects.filter(plan=funded).count() == 4


def test_a_broken_file_writes_nothing(funded, demo_users):
    broken = LEDGER + "2024-11-31,600,Bad day,,10\n"
    with pytest.raises(ExpenditureFileError, match="row 6, column Date"):
        load(funded, demo_users, text=broken)
    assert not Expenditure.objects.exists() and not ExpenditureImport.objects.exists()


def test_only_the_district_records_spending_and_only_on_an_approved_plan(funded, demo_users):
    with pytest.raises(PermissionDenied):
        load(funded, demo_users, who="state.fiscal")
    draft = demo_plan_create()  # rebuilt as a draft
    with pytest.raises(PlanError, match="spending is recorded once it is approved"):
        load(draft, demo_users)


def test_an_assigned_row_counts_in_its_line_and_the_forecast(funded, demo_users):
    load(funded, demo_users)
    as_of = dt.date(2024, 12, 31)
    before = plan_spending(funded, as_of)
    assert before.unmatched_count == 1 and before.unmatched_total == Decimal("1500.00")
    row = Expenditure.objects.get(description="Conference registration")
    line = BudgetLine.objects.get(plan=funded, description="Instructional coach training")
    expenditure_assign(expenditure=row, item=f"line:{line.pk}", user=demo_users["district.editor"])
    after = plan_spending(funded, as_of)
    assert after.unmatched_count == 0
    assert after.result.total.spent == before.result.total.spent + Decimal("1500.00")
    item = next(r for r in after.result.items if r.key == f"line:{line.pk}")
    # $1,500 in 184 days, 181 to come: 1,500 x 181 / 184 = 1,475.54 more.
    assert (item.spent, item.forecast) == (Decimal("1500.00"), Decimal("2975.54"))
    assert AuditEntry.objects.filter(object_type="expenditure", action="update").count() == 1


def test_an_expenditure_entered_by_hand(funded, demo_users):
    position = Position.objects.filter(plan=funded, title="Grants manager").get()
    entered = expenditure_add(
        plan=funded, user=demo_users["district.leader"], day=dt.date(2024, 7, 31),
        object_code="211", description="Benefits July", amount=Decimal("2613.33"),
        item=f"position:{position.pk}:benefits",
    )  # fmt: skip
    assert (entered.kind, entered.position, entered.source) == ("benefits", position, None)
    with pytest.raises(PlanError, match="Choose one of the plan's lines"):
        expenditure_add(
            plan=funded, user=demo_users["district.leader"], day=dt.date(2024, 7, 31),
            object_code="211", description="x", amount=Decimal(1), item="line:999999",
        )  # fmt: skip


def test_the_spending_page_as_of_a_meeting(funded, demo_users, client_for):
    load(funded, demo_users)
    page = client_for("board.viewer").get(PLAN + "spending/?as_of=2024-12-31").content.decode()
    assert "Spending and forecast as of December 31, 2024" in page
    assert 'data-testid="spent">$169,333<' in page  # the three matched rows
    assert "1 expenditure ($1,500.00) is not charged to a budget line yet and counts in" in page
    assert "Winter monitoring meeting (Feb 15)" in page
    assert "Import expenditures" not in page  # the Board viewer reads only
    # Before the import's first row the page shows nothing spent.
    early = client_for("board.viewer").get(PLAN + "spending/?as_of=2024-08-01").content.decode()
    assert 'data-testid="spent">$0<' in early
    csv = client_for("district.editor").get(PLAN + "spending/?as_of=2024-12-31&format=csv")
    assert "total,total,Total,12061630.00,169333.33" in csv.content.decode()
    assert client_for("hartford.editor").get(PLAN + "spending/").status_code == 404


def test_the_import_pages_upload_map_and_assign(funded, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = client_for("district.editor")
    assert client_for("board.viewer").get(PLAN + "spending/import/").status_code == 403
    upload = SimpleUploadedFile("ledger.csv", LEDGER.encode(), content_type="text/csv")
    response = editor.post(PLAN + "spending/import/", {"file": upload})
    assert response.status_code == 302
    mapping_page = editor.get(response["Location"]).content.decode()
    assert "Which column holds what in ledger.csv?" in mapping_page
    assert '<option value="Object" selected>' in mapping_page  # guessed
    done = editor.post(response["Location"], MAPPING)
    assert done.status_code == 302 and done["Location"].endswith("/spending/unmatched/")
    unmatched = editor.get(done["Location"]).content.decode()
    assert "Conference registration" in unmatched and "1 row to assign" in unmatched
    assert "<title>Expenditures to assign · Bristol FY2025 · Alliance Grants</title>" in unmatched
    row = Expenditure.objects.get(description="Conference registration")
    line = BudgetLine.objects.filter(plan=funded, object_code="300").earliest("pk")
    assigned = editor.post(PLAN + f"spending/unmatched/{row.pk}/", {"item": f"line:{line.pk}"})
    assert assigned.status_code == 302
    assert (
        "Every expenditure is charged" in editor.get(PLAN + "spending/unmatched/").content.decode()
    )


def test_a_bad_file_shows_every_bad_cell_and_imports_nothing(funded, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = client_for("district.editor")
    broken = LEDGER + "2024-11-31,600,Bad day,,ten\n"
    response = editor.post(
        PLAN + "spending/import/", {"file": SimpleUploadedFile("ledger.csv", broken.encode())}
    )
    page = editor.post(response["Location"], MAPPING)
    text = page.content.decode()
    assert page.status_code == 422 and "nothing was written" in text
    assert "ledger.csv, row 6, column Date: &#x27;2024-11-31&#x27; is not a date" in text
    assert "ledger.csv, row 6, column Amount: &#x27;ten&#x27; is not an amount of money" in text
    assert not Expenditure.objects.exists()


def test_the_spending_page_query_count_does_not_grow_with_expenditures(
    funded, demo_users, client_for
):
    client = client_for("district.editor")
    load(funded, demo_users)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PLAN + "spending/?as_of=2025-06-30").status_code == 200
        return len(captured.captured_queries)

    before = count()
    more = "Date,Object,Description,Vendor,Amount\n" + "".join(
        f"2025-0{1 + i % 5}-1{i % 9},600,Supplies {i},Vendor,{i}.25\n" for i in range(300)
    )
    load(funded, demo_users, text=more, name="more.csv")
    assert count() == before


def test_a_line_with_expenditures_cannot_be_deleted_by_a_revision(funded, demo_users, client_for):
    from alliance.plans.services import row_delete
    from alliance.plans.workflow import plan_transition

    load(funded, demo_users)
    page = client_for("district.leader").get(PLAN + "spending/").content.decode()
    assert "Request a budget revision" in page
    response = client_for("district.leader").post(
        PLAN + "actions/open_amendment/",
        {"note": "Drop the devices line.", "next": PLAN + "budget/"},
    )
    assert response.status_code == 302 and response["Location"] == PLAN + "budget/"
    plan = Plan.objects.get(pk=funded.pk)
    devices = BudgetLine.objects.get(plan=plan, object_code="700")
    with pytest.raises(PlanError, match="Expenditures are charged to this row"):
        row_delete(obj=devices, plan=plan, expected_version=devices.version,
                   user=demo_users["district.leader"])  # fmt: skip
    assert BudgetLine.objects.filter(pk=devices.pk).exists()
    plan_transition(
        plan_id=plan.pk, action="withdraw_amendment", user=demo_users["district.leader"]
    )


def test_a_strategy_column_narrows_the_match(funded, demo_users):
    """Four lines carry code 300; naming the strategy (and the description) picks one."""
    text = (
        "Date,Object,Description,Program,Amount\n"
        "2024-10-01,300,Instructional coach training,Instructional coaching and professional "
        "learning,900\n"
        "2024-10-02,600,Supplies for professional development,Gifted and talented and "
        "enrichment,50\n"
    )
    summary = expenditure_import(
        plan=funded, name="by-program.csv", content=text.encode(),
        mapping={**{k: v for k, v in MAPPING.items() if k != "vendor"}, "strategy": "Program"},
        user=demo_users["district.editor"],
    )  # fmt: skip
    rows = {e.description: e for e in Expenditure.objects.filter(source=summary.source)}
    assert rows["Instructional coach training"].line.description == "Instructional coach training"
    # The enrichment strategy has no 600 line: the family's only line is not another strategy's.
    assert rows["Supplies for professional development"].kind == ""


def test_an_expenditure_entered_on_the_page(funded, client_for):
    editor = client_for("district.editor")
    position = Position.objects.get(plan=funded, title="Grants manager")
    data = {
        "spend-day": "2024-08-30", "spend-object_code": "111",
        "spend-description": "Grants manager August payroll correction",
        "spend-vendor": "Payroll", "spend-amount": "-120.50",
        "spend-item": f"position:{position.pk}:salary",
    }  # fmt: skip
    response = editor.post(PLAN + "spending/entries/", data)
    assert response.status_code == 302
    entered = Expenditure.objects.get(description="Grants manager August payroll correction")
    assert (entered.amount, entered.position, entered.source) == (
        Decimal("-120.50"),
        position,
        None,
    )
    bad = editor.post(PLAN + "spending/entries/", {**data, "spend-amount": "lots"})
    assert bad.status_code == 422 and "Enter a number." in bad.content.decode()
    assert client_for("board.viewer").post(PLAN + "spending/entries/", data).status_code == 403


def test_the_default_as_of_date_is_today_or_the_years_end(funded, client_for):
    import time_machine

    client = client_for("board.viewer")
    with time_machine.travel(dt.datetime(2025, 2, 15, 17, tzinfo=dt.UTC), tick=False):
        page = client.get(PLAN + "spending/").content.decode()
    assert "Spending and forecast as of February 15, 2025" in page
    with time_machine.travel(dt.datetime(2026, 12, 7, 17, tzinfo=dt.UTC), tick=False):
        page = client.get(PLAN + "spending/").content.decode()
    assert "Spending and forecast as of June 30, 2025" in page


_day = st.dates(dt.date(2024, 7, 1), dt.date(2025, 6, 30)).map(lambda d: d.isoformat())
_amount = st.decimals(min_value=-(10**5), max_value=10**5, places=2).map(str)
_row = st.tuples(_day, st.sampled_from(["611", "300", "700", "111"]),
                 st.text("abcdef ", min_size=1, max_size=8).filter(str.strip), _amount)  # fmt: skip


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_row, min_size=1, max_size=30),
    bad=st.lists(st.tuples(st.integers(0, 29), st.sampled_from([0, 3])), max_size=2),
    quoted=st.lists(st.integers(0, 29), max_size=2),
)
def test_an_import_stores_every_row_or_none(funded, demo_users, rows, bad, quoted):
    """Whatever rows a file holds, the database gets all of them or none: even when the rows go
    to the database in slices (of 4 here) and the bad row, or a row the columnar reader leaves to
    the reference (a quoted quote), comes after slices already sent."""
    ExpenditureImport.objects.filter(plan=funded).delete()  # each example starts empty
    cells = [list(r) for r in rows]
    placed = [(i, column) for i, column in bad if i < len(cells)]
    for index, column in placed:
        cells[index][column] = "not a date or amount"
    for index in quoted:
        if index < len(cells):
            cells[index][2] = '"12"" monitor"'
    text = "Date,Object,Description,Amount\n" + "".join(",".join(c) + "\n" for c in cells)
    mapping = {"date": "Date", "object_code": "Object", "description": "Description",
               "amount": "Amount"}  # fmt: skip
    try:
        with mock.patch("alliance.monitoring.services.COPY_SLICE", 4):
            expenditure_import(plan=funded, name="f.csv", content=text.encode(),
                               mapping=mapping, user=demo_users["district.editor"])  # fmt: skip
    except ExpenditureFileError:
        assert placed
        assert not Expenditure.objects.filter(plan=funded).exists()
        assert not ExpenditureImport.objects.filter(plan=funded).exists()
    else:
        assert not placed
        stored = Expenditure.objects.filter(plan=funded)
        assert stored.count() == len(rows)
        assert sum(e.amount for e in stored) == sum(Decimal(r[3]) for r in rows)
        assert ExpenditureImport.objects.get(plan=funded).total == sum(e.amount for e in stored)
        assert sorted(e.row or 0 for e in stored) == list(range(2, len(rows) + 2))


def test_any_text_is_stored_as_written(funded, demo_users):
    """Tabs, backslashes, quotes and the text \\N reach the database as the file has them (COPY
    reads such a file as CSV, a plain one in its own text format)."""
    text = (
        "Date,Object,Description,Vendor,Amount\n"
        '2024-10-01,611,"Cables 12"" long",\\N,10\n'
        "2024-10-02,611,Path C:\\ledger\\fy25,Tab\tCo,20\n"
        "2024-10-03,611,Plain supplies,,30\n"
    )
    summary = load(funded, demo_users, text=text)
    stored = Expenditure.objects.filter(source=summary.source).order_by("row")
    assert [(e.row, e.description, e.vendor) for e in stored] == [
        (2, 'Cables 12" long', "\\N"),
        (3, "Path C:\\ledger\\fy25", "Tab\tCo"),
        (4, "Plain supplies", ""),
    ]
    assert summary.source.total == Decimal("60")


def test_a_large_file_goes_in_slices_and_matches_as_a_small_one(funded, demo_users):
    rows = "".join(
        f"2024-10-{i % 28 + 1:02d},111,Instructional coach 12 payroll {i},,1{i}.05\n"
        for i in range(25)
    )
    with mock.patch("alliance.monitoring.services.COPY_SLICE", 10):
        summary = load(funded, demo_users, text="Date,Object,Description,Vendor,Amount\n" + rows)
    assert (summary.source.rows, summary.matched, summary.unmatched) == (25, 25, 0)
    coach = Position.objects.get(plan=funded, title="Instructional coach 12")
    stored = Expenditure.objects.filter(source=summary.source)
    assert {(e.kind, e.position_id) for e in stored} == {("salary", coach.pk)}
    assert summary.source.total == sum((Decimal(f"1{i}.05") for i in range(25)), Decimal(0))


def orphans() -> dict[str, int]:
    """Expenditures charged to, or belonging to, something that is no longer there."""
    from alliance.accounts.models import User

    rows = Expenditure.objects.all()
    return {
        "line": rows.exclude(line=None)
        .exclude(line_id__in=BudgetLine.objects.values("pk"))
        .count(),
        "position": rows.exclude(position=None)
        .exclude(position_id__in=Position.objects.values("pk"))
        .count(),
        "plan": rows.exclude(plan_id__in=Plan.objects.values("pk")).count(),
        "source": rows.exclude(source=None)
        .exclude(source_id__in=ExpenditureImport.objects.values("pk"))
        .count(),
        "entered_by": rows.exclude(entered_by_id__in=User.objects.values("pk")).count(),
    }


def test_references_stay_whole_without_database_foreign_keys(funded, demo_users):
    """The expenditure table has no foreign-key constraints (bulk loads would pay a check per row):
    items with expenditures cannot be deleted, and an import or a plan takes its rows with it."""
    from alliance.plans.services import row_delete
    from alliance.plans.workflow import plan_transition

    summary = load(funded, demo_users)
    unmatched = Expenditure.objects.get(source=summary.source, kind="")
    line = BudgetLine.objects.filter(plan=funded, object_code="300").earliest("pk")
    expenditure_assign(
        expenditure=unmatched, item=f"line:{line.pk}", user=demo_users["district.editor"]
    )
    with pytest.raises(PlanError):
        expenditure_assign(
            expenditure=unmatched, item="line:999999", user=demo_users["district.editor"]
        )
    leader = demo_users["district.leader"]
    amending = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=leader, note="Drop a line."
    )
    with pytest.raises(PlanError, match="Expenditures are charged to this row"):
        row_delete(obj=line, plan=amending, expected_version=line.version, user=leader)
    plan_transition(plan_id=funded.pk, action="withdraw_amendment", user=leader)
    assert orphans() == dict.fromkeys(orphans(), 0)
    summary.source.delete()
    assert not Expenditure.objects.filter(plan=funded).exists()
    load(funded, demo_users, name="again.csv")
    expenditure_add(plan=funded, user=demo_users["district.editor"], day=dt.date(2024, 9, 1),
                    object_code="611", description="Paper", amount=Decimal(5))  # fmt: skip
    assert Expenditure.objects.filter(plan=funded).count() == 5
    assert orphans() == dict.fromkeys(orphans(), 0)
