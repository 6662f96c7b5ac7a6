"""Reading a finance export through a column mapping: amounts as finance systems write them, dates,
XLSX as well as CSV, and a file with any bad cell refused whole with file, row and column named."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from alliance.monitoring.expenditures import (
    ExpenditureFileError,
    fingerprint,
    guess_mapping,
    parse_amount,
    parse_day,
    read_expenditures,
    table_rows,
)

MAPPING = {
    "date": "Check Date", "object_code": "Object", "description": "Description",
    "vendor": "Payee", "amount": "Amount",
}  # fmt: skip
CSV = (
    "Check Date,Object,Description,Payee,Amount\n"
    '09/15/2024,611,Leveled readers,Book Co,"$2,500.00"\n'
    "2024-10-01,322,Coaching PD,PD Wins,1500\n"
    "10/31/24,611,Refund of readers,Book Co,(250.00)\n"
)


def read(content: str | bytes, name: str = "ledger.csv", mapping=MAPPING):
    data = content.encode() if isinstance(content, str) else content
    header, rows = table_rows(name, data)
    return read_expenditures(name, header, rows, mapping)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("$2,500.00", "2500.00"), ("1500", "1500"), ("(250.00)", "-250.00"), ("-$12", "-12"),
     (" 7.5 ", "7.5"), ("$ 1,000,000.01", "1000000.01")],
)  # fmt: skip
def test_amounts_as_finance_systems_write_them(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "12.345", "(12", "$", "1.2.3", "--5"])
def test_what_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_dates_iso_and_us():
    assert parse_day("2024-09-15") == dt.date(2024, 9, 15)
    assert parse_day("9/15/2024") == dt.date(2024, 9, 15)
    assert parse_day("09/15/24") == dt.date(2024, 9, 15)
    assert parse_day(dt.datetime(2024, 9, 15, 0, 0)) == dt.date(2024, 9, 15)
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("15.09.2024")


def test_a_csv_reads_through_the_mapping():
    rows = read(CSV)
    assert [(r.row, r.day, r.object_code, r.amount) for r in rows] == [
        (2, dt.date(2024, 9, 15), "611", Decimal("2500.00")),
        (3, dt.date(2024, 10, 1), "322", Decimal("1500")),
        (4, dt.date(2024, 10, 31), "611", Decimal("-250.00")),
    ]
    assert rows[0].vendor == "Book Co" and rows[1].description == "Coaching PD"


def test_every_bad_cell_is_named_and_nothing_is_returned():
    broken = CSV + "13/45/2024,611,Bad date,X,10\n2024-11-01,,No code,X,ten dollars\n"
    with pytest.raises(ExpenditureFileError) as error:
        read(broken)
    assert [str(e) for e in error.value.errors] == [
        "ledger.csv, row 5, column Check Date: '13/45/2024' is not a date (use 2024-09-15 or "
        "9/15/2024)",
        "ledger.csv, row 6, column Amount: 'ten dollars' is not an amount of money",
        "ledger.csv, row 6, column Object: is empty",
    ]


def test_the_mapping_must_name_columns_the_file_has():
    with pytest.raises(ExpenditureFileError, match="choose the column for Amount"):
        read(CSV, mapping={k: v for k, v in MAPPING.items() if k != "amount"})
    with pytest.raises(ExpenditureFileError, match="row 1, column Total: is not a column"):
        read(CSV, mapping={**MAPPING, "amount": "Total"})


def test_an_xlsx_reads_the_same_with_real_dates_and_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(["Check Date", "Object", "Description", "Payee", "Amount"])
    sheet.append([dt.datetime(2024, 9, 15), 611, "Leveled readers", "Book Co", 2500.1])
    sheet.append([dt.datetime(2024, 10, 1), "322", "Coaching PD", None, 1500])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read(buffer.getvalue(), name="ledger.xlsx")
    assert [(r.row, r.day, r.object_code, r.amount, r.vendor) for r in rows] == [
        (2, dt.date(2024, 9, 15), "611", Decimal("2500.1"), "Book Co"),
        (3, dt.date(2024, 10, 1), "322", Decimal("1500"), ""),
    ]


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ExpenditureFileError, match=r"ledger\.xlsx: is not an Excel workbook"):
        read(b"not a zip", name="ledger.xlsx")


def test_the_mapping_is_guessed_from_usual_column_names():
    header = ["Check Date", "Account", "Memo", "Vendor Name", "Amount", "Alliance Line"]
    assert guess_mapping(header) == {
        "date": "Check Date", "object_code": "Account", "description": "Memo",
        "vendor": "Vendor Name", "amount": "Amount", "item": "Alliance Line",
    }  # fmt: skip


def test_the_same_file_has_the_same_fingerprint():
    assert fingerprint(CSV.encode()) == fingerprint(CSV.encode())
    assert fingerprint(CSV.encode()) != fingerprint((CSV + "\n").encode())


good_row = st.tuples(
    st.dates(dt.date(2024, 7, 1), dt.date(2025, 6, 30)).map(lambda d: d.isoformat()),
    st.sampled_from(["611", "322", "100"]),
    st.text("abcdefgh ", min_size=1, max_size=10).filter(str.strip),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2).map(str),
)
bad_cell = st.sampled_from(["", "n/a", "13/13/2024", "1.234"])


@given(
    rows=st.lists(good_row, min_size=1, max_size=20),
    bad=st.lists(st.tuples(st.integers(0, 19), st.sampled_from([0, 3]), bad_cell), max_size=3),
)
def test_all_rows_or_none(rows, bad):
    """Whatever the rows, the reader returns every one of them or refuses the file."""
    cells = [list(r) for r in rows]
    # Each bad value is neither a date nor an amount, so a row that gets one is broken.
    placed = [(i, column, value) for i, column, value in bad if i < len(cells)]
    for index, column, value in placed:
        cells[index][column] = value
    text = "Check Date,Object,Description,Amount\n" + "".join(",".join(c) + "\n" for c in cells)
    mapping = {"date": "Check Date", "object_code": "Object", "description": "Description",
               "amount": "Amount"}  # fmt: skip
    try:
        result = read(text, mapping=mapping)
    except ExpenditureFileError as error:
        assert placed and len(error.errors) >= len({i for i, _, _ in placed})
    else:
        assert not placed and len(result) == len(rows)
        assert sum(r.amount for r in result) == sum(Decimal(r[3]) for r in rows)


def test_a_named_strategy_keeps_the_family_fallback_within_it():
    from alliance.monitoring.matching import Candidate, Matcher

    pool = [Candidate("line:1", "611", "Readers", "Literacy"),
            Candidate("line:2", "300", "Coaching", "Coaching")]  # fmt: skip
    matcher = Matcher(pool, salary_family="100", benefits_family="200")
    row = read("Check Date,Object,Description,Payee,Amount\n2024-09-15,612,Books,X,5\n")[0]
    assert matcher(row) == "line:1"  # the 600 family's only line
    elsewhere = type(row)(**{**row.__dict__, "strategy": "Coaching"})
    assert matcher(elsewhere) == ""  # not when the file says the row is another strategy's


def test_what_the_table_cannot_hold_is_named():
    """An object code longer than the table's 40 characters, an amount of 10^12 or more, and a NUL
    character (a database cannot store one)."""
    text = (
        "Check Date,Object,Description,Payee,Amount\n"
        f"09/15/2024,{'7' * 41},Readers,Book Co,12\n"
        '09/16/2024,611,Readers,Book Co,"$1,000,000,000,000.00"\n'
        "09/17/2024,611,Readers,Book Co,999999999999.99\n"
        "09/18/2024,611,Readers\x00,Book Co,1\n"
    )
    with pytest.raises(ExpenditureFileError) as refused:
        read(text)
    assert [str(e) for e in refused.value.errors] == [
        "ledger.csv, row 2, column Object: is longer than 40 characters",
        "ledger.csv, row 3, column Amount: '$1,000,000,000,000.00' is too large for an amount "
        "of money",
        "ledger.csv, row 5, column Description: holds a NUL character",
    ]
