"""Every table page downloads as CSV (UTF-8, a header row) and as Excel, with the rows on screen."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from alliance.monitoring.services import (
    action_add,
    expenditure_import,
    meetings_schedule,
    progress_enter,
)
from alliance.plans.models import Goal
from alliance.plans.workflow import plan_transition

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"


@pytest.fixture
def busy(funded, demo_users):
    """A funded plan with something in every table."""
    meetings = {m.code: m for m in meetings_schedule(funded)}
    action_add(meeting=meetings["fall"], user=demo_users["state.reviewer"], title="Hire",
               owner="HR", due=dt.date(2024, 12, 1))  # fmt: skip
    goal = Goal.objects.filter(strategy__plan=funded).order_by("id")[0]
    progress_enter(goal=goal, meeting=meetings["fall"], user=demo_users["district.editor"],
                   value=Decimal("61"))  # fmt: skip
    expenditure_import(plan=funded, name="l.csv",
                       content=b"Date,Object,Description,Amount\n2024-09-01,399,Misc,5.00\n",
                       mapping={"date": "Date", "object_code": "Object",
                                "description": "Description", "amount": "Amount"},
                       user=demo_users["district.editor"])  # fmt: skip
    plan_transition(plan_id=funded.pk, action="open_amendment", user=demo_users["district.leader"],
                    note="Nothing yet")  # fmt: skip
    return funded


@pytest.mark.parametrize(
    ("url", "header", "first_cell"),
    [
        (PLAN, "strategy,focus_area,evidence_level", "Tiered academic interventions"),
        (PLAN + "meetings/", "action_item,owner,side,due", "Hire"),
        (PLAN + "progress/", "goal,meeting,date,baseline", None),
        (PLAN + "spending/unmatched/", "date,object_code,description", "2024-09-01"),
        (PLAN + "amendments/1/", "row_kind,change,row,field,before,after", None),
        ("/designations/", "cohort,kind,first_fiscal_year", None),
        ("/districts/0170011/", "fiscal_year,alliance_allocation,source", "FY2018"),
        ("/districts/0170011/plans/", "fiscal_year,status,allocation", "2025"),
        ("/districts/0170011/?table=schools", "school_code,school,type", None),
        ("/districts/0170011/?table=enrollment", "school_year,students", None),
        ("/review/checklist/", "code,section,text,source,active", "strategies.menu"),
    ],
)  # fmt: skip
def test_table_pages_download_as_csv_and_excel(busy, client_for, url, header, first_cell):
    client = client_for("state.reviewer")
    path, _, query = url.partition("?")
    params = dict(part.split("=") for part in query.split("&") if part)
    response = client.get(path, {**params, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert ",".join(rows[0]).startswith(header)
    if first_cell is not None:
        assert rows[1][0] == first_cell
    workbook = client.get(path, {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert sheet.max_row == len(rows)
    assert [c.value for c in sheet[1]] == rows[0]


def test_accountability_profiles_download_their_indicators(client_for, db):
    from django.conf import settings

    from alliance.accountability.services import accountability_import

    accountability_import(path=settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz")
    client = client_for("district.editor")
    response = client.get("/districts/0170011/accountability/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][:4] == ["school_year", "code", "indicator", "group"]
    assert rows[1][0] == "2024-25" and len(rows) > 10
    assert "accountability-0170011-2024-25.csv" in response["Content-Disposition"]
    assert (
        client_for("hartford.editor")
        .get("/districts/0170011/accountability/", {"format": "csv"})
        .status_code
        == 404
    )


def test_the_identification_downloads_its_outcomes(client_for, db):
    from django.conf import settings

    from alliance.accountability.services import accountability_import

    accountability_import(path=settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz")
    response = client_for("state.reviewer").get(
        "/designations/identify/", {"year": "2024-25", "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert rows and {"district_code", "designated", "reason"} <= set(rows[0])
    assert sum(r["designated"] == "yes" for r in rows) >= 30
