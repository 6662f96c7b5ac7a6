"""The budget workbook (.xlsx) the business office works with: the summary by funding area, the
budget by object code in the layout of the state's budget form, positions, lines, and the
spend-down when there is spending. Totals are formulas; amounts carry a currency format; header
rows are frozen. Pure: takes BoardData, returns bytes."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from alliance.plans.catalog import catalog
from alliance.reports.data import BoardData

MONEY = '"$"#,##0.00'
BOLD = Font(bold=True)


def _sheet(book: Workbook, title: str, header: list[str], widths: list[int]) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    return sheet


def _money_column(sheet: Worksheet, column: str, first: int, last: int) -> None:
    for row in range(first, last + 1):
        sheet[f"{column}{row}"].number_format = MONEY


def _total(sheet: Worksheet, label_column: str, column: str, first: int, last: int) -> int:
    """A total row under the data: a SUM formula, so the workbook recomputes when edited."""
    row = last + 1
    sheet[f"{label_column}{row}"] = "Total"
    sheet[f"{label_column}{row}"].font = BOLD
    sheet[f"{column}{row}"] = f"=SUM({column}{first}:{column}{max(last, first)})"
    sheet[f"{column}{row}"].font = BOLD
    sheet[f"{column}{row}"].number_format = MONEY
    return row


def budget_workbook(data: BoardData) -> bytes:
    terms = catalog()
    budget = data.contents.budget
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]

    summary = _sheet(book, "Summary", ["Funding area", "Amount"], [36, 18])
    for row in budget.by_funding_area:
        summary.append([row.label, row.amount])
    last = summary.max_row
    total = _total(summary, "A", "B", 2, last)
    summary.append(["Allocation", data.allocation])
    summary.append(["Difference", f"=B{total + 1}-B{total}"])
    _money_column(summary, "B", 2, summary.max_row)
    summary.append([])
    summary.append(
        [f"{data.district_name}, FY{data.fiscal_year} Alliance plan ({data.status_name})"]
    )

    codes = _sheet(book, "By object code", ["Code", "Description", "Amount"], [10, 48, 18])
    families = {t.code: t.name for t in terms.object_codes}
    for row in budget.by_object_code:
        codes.append([row.key, families.get(row.key, row.label), row.amount])
    _total(codes, "B", "C", 2, codes.max_row)
    _money_column(codes, "C", 2, codes.max_row)

    positions = _sheet(book, "Positions", [
        "Title", "Staff category", "Strategy", "School", "FTE", "Salary", "Grant share",
        "Benefits rate", "Salary to the grant", "Benefits", "Total",
    ], [32, 20, 32, 28, 6, 14, 11, 12, 18, 14, 16])  # fmt: skip
    titles = {s.pk: s.title for s in data.contents.strategies}
    for position in data.contents.positions:
        cost = data.contents.position_costs[position.pk]
        n = positions.max_row + 1
        positions.append([
            position.title, terms.name_of(terms.staff_categories, position.staff_category),
            titles.get(position.strategy_id, ""), position.school.name if position.school else "",
            position.fte, position.salary, position.grant_share, cost.benefits_rate,
            f"=ROUND(F{n}*E{n}*G{n},2)", f"=ROUND(I{n}*H{n},2)", f"=I{n}+J{n}",
        ])  # fmt: skip
    last = positions.max_row
    for column in ("I", "J", "K"):
        _total(positions, "A", column, 2, last)
    for column in ("F", "I", "J", "K"):
        _money_column(positions, column, 2, last + 1)

    lines = _sheet(book, "Lines", [
        "Funding area", "Object code", "Description", "Vendor", "Strategy", "School", "Amount",
    ], [24, 11, 48, 24, 32, 28, 16])  # fmt: skip
    for line in data.contents.lines:
        lines.append([
            terms.name_of(terms.funding_areas, line.funding_area), line.object_code,
            line.description, line.vendor, titles.get(line.strategy_id, ""),
            line.school.name if line.school else "", line.amount,
        ])  # fmt: skip
    _total(lines, "A", "G", 2, lines.max_row)
    _money_column(lines, "G", 2, lines.max_row)

    if data.spending is not None:
        spend = _sheet(book, "Spend-down", [
            "Line or position", "Budget", "Spent", "Remaining", "Forecast to June 30",
            "Projected unspent", "Risk",
        ], [48, 16, 16, 16, 18, 18, 20])  # fmt: skip
        for item in data.spending.items:
            n = spend.max_row + 1
            spend.append([item.label, item.budget, item.spent, f"=B{n}-C{n}", item.forecast,
                          f"=B{n}-E{n}", item.risk.name])  # fmt: skip
        last = spend.max_row
        for column in ("B", "C", "D", "E", "F"):
            _total(spend, "A", column, 2, last)
            _money_column(spend, column, 2, last + 1)
        spend.append([f"As of {data.spending.as_of:%B %-d, %Y}"])
        ledger = _sheet(book, "Expenditures", [
            "Date", "Object code", "Description", "Vendor", "Amount", "Charged to", "Source",
        ], [12, 11, 48, 28, 14, 48, 32])  # fmt: skip
        for e in data.expenditures:
            charged = (
                e.line.description if e.line else
                f"{e.position.title} ({e.kind})" if e.position else "not assigned yet"
            )  # fmt: skip
            source = f"{e.source.file_name}, row {e.row}" if e.source else "entered"
            ledger.append(
                [e.day, e.object_code, e.description, e.vendor, e.amount, charged, source]
            )
        last = ledger.max_row
        _total(ledger, "A", "E", 2, last)
        _money_column(ledger, "E", 2, last + 1)
        for number in range(2, last + 1):
            ledger[f"A{number}"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
