"""The Board deck and the budget workbook, opened the way a user's software opens them: every slide
titled, the budget chart's categories and values the plan's totals by funding area summing to the
allocation; the workbook's sheets, amounts and total formulas."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pptx import Presentation

from alliance.demo.plan import demo_plan_create
from alliance.monitoring.services import expenditure_import
from alliance.plans.selectors import plan_contents
from alliance.reports.data import board_data
from alliance.reports.deck import MAX_BULLETS, board_deck
from alliance.reports.workbook import budget_workbook

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"
TITLES = [
    "Bristol FY2025 Alliance District Plan", "Overview", "What is an Alliance District?",
    "The state's requirements", "Plan strategies", "Additional accountability and support",
    "FY2025 budget allocations", "Examples: Direct-service staff", "Examples: Administrative staff",
    "Examples: Operational staff", "Examples: Progress monitoring",
    "Examples: Professional development", "Examples: Supplies", "Examples: Purchased services",
    "Examples: Family engagement", "Examples: Technology", "Examples: Other", "Next steps",
]  # fmt: skip


def test_the_deck_has_every_slide_and_the_budget_chart_is_the_plan(demo_users):
    plan = demo_plan_create()
    deck = Presentation(io.BytesIO(board_deck(board_data(plan))))
    assert [s.shapes.title.text for s in deck.slides] == TITLES
    budget = next(s for s in deck.slides if s.shapes.title.text == "FY2025 budget allocations")
    chart = next(shape.chart for shape in budget.shapes if shape.has_chart)
    totals = plan_contents(plan).budget.by_funding_area
    assert list(chart.plots[0].categories) == [r.label for r in totals]
    values = [Decimal(str(v)) for v in chart.plots[0].series[0].values]
    assert values == [r.amount for r in totals]
    assert sum(values) == plan.allocation == Decimal("12061630.00")
    text = "\n".join(p.text for shape in budget.shapes if shape.has_text_frame
                     for p in shape.text_frame.paragraphs)  # fmt: skip
    assert "Total: $12,061,630" in text and "Direct-service staff: $4,978,000" in text
    # Text stays within what the slides hold.
    for slide in deck.slides:
        for shape in slide.placeholders:
            if shape.placeholder_format.idx == 1 and shape.has_text_frame:
                assert len(shape.text_frame.paragraphs) <= MAX_BULLETS
                assert all(len(p.text) <= 150 for p in shape.text_frame.paragraphs)


def test_the_deck_tells_the_district_its_designation_and_meetings(demo_users):
    plan = demo_plan_create()
    deck = Presentation(io.BytesIO(board_deck(board_data(plan))))
    slides = {s.shapes.title.text: s for s in deck.slides}

    def body(title: str) -> str:
        return str(slides[title].placeholders[1].text_frame.text)

    assert "The 36 lowest-performing districts" in body("What is an Alliance District?")
    assert "FY2023–FY2027" in body("What is an Alliance District?")
    assert "Fall monitoring meeting: November 15, 2024" in body(
        "Additional accountability and support"
    )
    assert "Academic interventionist: 30 positions, 30 FTE" in body(
        "Examples: Direct-service staff"
    )
    # The plan's contacts who present it to the Board, with their titles.
    assert (
        slides["Bristol FY2025 Alliance District Plan"]
        .placeholders[1]
        .text_frame.text.endswith(
            "Presented by Avery Collins, Superintendent of Schools; "
            "Lee Morgan, Director of School Improvement"
        )
    )


def test_progress_to_date_appears_once_monitoring_has_begun(funded, demo_users):
    from alliance.monitoring.services import meetings_schedule, progress_enter
    from alliance.plans.models import Goal

    meetings = {m.code: m for m in meetings_schedule(funded)}
    goal = Goal.objects.filter(strategy__plan=funded).order_by("id")[0]
    progress_enter(goal=goal, meeting=meetings["fall"], user=demo_users["district.editor"],
                   value=Decimal("60"))  # fmt: skip
    deck = Presentation(io.BytesIO(board_deck(board_data(funded))))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[-2:] == ["Progress to date", "Next steps"]


def test_the_workbook_has_its_sheets_amounts_and_formulas(funded, demo_users):
    ledger = 'Date,Object,Description,Amount\n2024-09-15,700,Devices,"$1,000.00"\n'
    expenditure_import(plan=funded, name="l.csv", content=ledger.encode(),
                       mapping={"date": "Date", "object_code": "Object",
                                "description": "Description", "amount": "Amount"},
                       user=demo_users["district.editor"])  # fmt: skip
    book = load_workbook(io.BytesIO(budget_workbook(board_data(funded))))
    assert book.sheetnames == [
        "Summary", "By object code", "Positions", "Lines", "Spend-down", "Expenditures",
    ]  # fmt: skip
    spent = list(book["Expenditures"].iter_rows(min_row=2, values_only=True))
    assert spent[0][2] == "Devices" and spent[0][5] == "Devices for intervention groups"
    assert spent[-1][0] == "Total" and spent[-1][4] == "=SUM(E2:E2)"
    summary = book["Summary"]
    rows = list(summary.iter_rows(values_only=True))
    totals = plan_contents(funded).budget.by_funding_area
    assert [(r[0], Decimal(str(r[1]))) for r in rows[1 : 1 + len(totals)]] == [
        (t.label, t.amount) for t in totals
    ]
    assert rows[1 + len(totals)] == ("Total", f"=SUM(B2:B{1 + len(totals)})")
    assert rows[2 + len(totals)][0] == "Allocation"
    assert Decimal(str(rows[2 + len(totals)][1])) == Decimal("12061630")
    assert summary["B2"].number_format == '"$"#,##0.00' and summary.freeze_panes == "A2"
    codes = book["By object code"]
    code_rows = list(codes.iter_rows(min_row=2, values_only=True))
    assert code_rows[-1][1] == "Total" and code_rows[-1][2].startswith("=SUM(C2:")
    assert sum(Decimal(str(r[2])) for r in code_rows[:-1]) == Decimal("12061630")
    positions = book["Positions"]
    assert positions["I2"].value == "=ROUND(F2*E2*G2,2)" and positions.max_row == 95 + 2
    spend = book["Spend-down"]
    assert any(r[0] == "Devices for intervention groups (700)" and Decimal(str(r[2])) == 1000
               for r in spend.iter_rows(values_only=True))  # fmt: skip


def test_downloads_and_the_command(funded, client_for, tmp_path, capsys):
    deck = client_for("board.viewer").get(PLAN + "board-presentation.pptx")
    assert deck.status_code == 200
    assert "board-presentation.pptx" in deck["Content-Disposition"]
    assert Presentation(io.BytesIO(deck.content)).slides[0].shapes.title.text == TITLES[0]
    workbook = client_for("district.editor").get(PLAN + "budget.xlsx")
    assert load_workbook(io.BytesIO(workbook.content)).sheetnames[0] == "Summary"
    assert client_for("hartford.editor").get(PLAN + "budget.xlsx").status_code == 404
    out = tmp_path / "deck.pptx"
    call_command("report", "board-deck", "--district", "0170011", "--fiscal-year", "2025",
                 "--out", str(out))  # fmt: skip
    assert "Wrote the Board of Education presentation" in capsys.readouterr().out
    assert len(Presentation(str(out)).slides) == len(TITLES)


def test_the_printable_plan_has_a_section_per_page_and_no_navigation(demo_users, client_for):
    demo_plan_create()
    page = client_for("board.viewer").get(PLAN + "print/").content.decode()
    assert "Primary navigation" not in page and "usa-header" not in page
    assert page.count('class="print-section"') == 5
    for heading in ("FY2025 Alliance District plan", "Strategies and goals", "Budget",
                    "Positions", "Other budget lines"):  # fmt: skip
        assert heading in page
    assert "alliance/print.css" in page
    assert client_for("hartford.editor").get(PLAN + "print/").status_code == 404
