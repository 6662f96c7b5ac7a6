"""The columnar import path against the reference: for any file, `read_ledger` gives the rows the
row-by-row reader gives or leaves the file to it, and `match_keys` gives each row the item the
Matcher gives it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alliance.monitoring.bulk import (
    Doubtful,
    ledger_frame,
    ledger_rows,
    ledger_slices,
    match_keys,
    read_ledger,
)
from alliance.monitoring.expenditures import (
    ExpenditureFileError,
    ExpenditureRow,
    read_expenditures,
    table_rows,
)
from alliance.monitoring.matching import Candidate, Matcher

HEADER = ["Date", "Object", "Description", "Vendor", "Amount", "Line", "Program"]
MAPPING = {
    "date": "Date", "object_code": "Object", "description": "Description", "vendor": "Vendor",
    "amount": "Amount", "item": "Line", "strategy": "Program",
}  # fmt: skip


def reference(content: bytes, mapping=MAPPING) -> list[ExpenditureRow] | ExpenditureFileError:
    try:
        header, rows = table_rows("f.csv", content)
        return read_expenditures("f.csv", header, rows, mapping)
    except ExpenditureFileError as exc:
        return exc


def columnar(content: bytes, mapping=MAPPING) -> list[ExpenditureRow] | None:
    try:
        return ledger_rows(read_ledger("f.csv", content, mapping))
    except Doubtful:
        return None


def csv_file(rows: list[list[str]], *, header=HEADER, newline="\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


# Cells as finance systems write them; then, in a few cells, what they sometimes write.
_dates = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).flatmap(
    lambda d: st.sampled_from(
        [d.isoformat(), f"{d.month}/{d.day}/{d.year}", f"{d.month:02d}/{d.day:02d}/{d.year}",
         f"{d.month}/{d.day}/{d.year % 100:02d}", f"{d.isoformat()} 00:00:00", f" {d} "]
    )
)  # fmt: skip
_amounts = st.decimals(-(10**9), 10**9, places=2).flatmap(
    lambda a: st.sampled_from(
        [
            str(a),
            f"{'-' if a < 0 else ''}${abs(a):,}",
            f"({abs(a):,})",
            f"-${abs(a)}",
            f"{a:.1f}",
            f" {a} ",
            f"{a:,}",
        ]
    )
)
_words = st.sampled_from(["Teacher", "coach 1", "Coach 12", "payroll", "Straße", "x,y", "AB-7"])
_texts = st.lists(_words, min_size=1, max_size=3).map(" ".join)
_codes = st.sampled_from(["111", "211", "300", "611", " 322 ", "AB-7"])
_good_rows = st.lists(
    st.tuples(_dates, _codes, _texts, _texts | st.just(""), _amounts,
              st.sampled_from(["", "L1", "P2"]), st.sampled_from(["", "Literacy"])).map(list),
    min_size=1, max_size=12,
)  # fmt: skip
_odd_cells = st.sampled_from(
    ["", "  ", "2024-02-30", "13/1/2024", "0000-01-01", "1/1/0000", "9/15/202", "x", "12.345",
     "1.230", "(12", "$", ".", "1,.", ",5", "-0", "1e3", "999999999999.99", "1000000000000",
     "٣", "12\xa0", "\x1c12", "--5", "(-$5)", "\\N", "a\\b", 'say "hi"', "tab\there",
     "\xa0pad\xa0", "\x1cgs", "\u2028", "STRASSE", "ß", "x" * 41, "y" * 301, "é"]
)  # fmt: skip
_odd = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 6), _odd_cells), max_size=3)


def _with(rows: list[list[str]], odd: list[tuple[int, int, str]]) -> list[list[str]]:
    for row, column, cell in odd:
        if row < len(rows):
            rows[row][column] = cell
    return rows


@settings(max_examples=300)
@given(rows=_good_rows, odd=_odd, newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
def test_the_columnar_reader_reads_a_file_as_the_reference_or_leaves_it(rows, odd, newline, bom):
    content = (b"\xef\xbb\xbf" if bom else b"") + csv_file(_with(rows, odd), newline=newline)
    fast, slow = columnar(content), reference(content)
    if fast is not None:
        assert fast == slow
    if not odd:  # nothing odd: the fast path takes it
        assert fast is not None


@settings(max_examples=300)
@given(
    rows=_good_rows,
    damage=st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from('a1,"\n\r \t$().-/\xa0é٣\\\x1c')),
        min_size=1, max_size=4,
    ),
)  # fmt: skip
@example(rows=[["2024-01-01", "111", "a", "v", "1", "", ""]], damage=[(21, '"')])
@example(rows=[["2024-01-01", "111", "a", "v", "1", "", ""]], damage=[(20, '"')])
@example(rows=[["2024-01-01", "111", "a", "v", "1", "", ""]], damage=[(10**6, ",")])
@example(rows=[["2024-01-01", "111", "a", "v", "1", "", ""]], damage=[(10**6, "\n")])
@example(rows=[["2024-01-01", "111", "a", "v", "1", "", ""]], damage=[(22, "\n")])
@example(rows=[["2024-01-01", "111", "a", "v", "1", "", ""]], damage=[(37, "\r")])
@example(  # a stray quote that Python's csv module and polars split apart: ""x",y"
    rows=[["2000-01-01", "111", "Teacher", "x,y", "0.00", "", ""]] * 2,
    damage=[(76, '"'), (74, '"')],
)
def test_whatever_the_damage_the_columnar_reader_agrees_or_leaves_the_file(rows, damage):
    """Characters dropped anywhere into a good file: quotes, line breaks, separators."""
    text = csv_file(rows).decode()
    for at, char in damage:
        at %= len(text) + 1
        text = text[:at] + char + text[at:]
    content = text.encode()
    fast = columnar(content)
    if fast is not None:
        assert fast == reference(content)


def test_a_plain_file_is_read_by_the_columnar_reader():
    """The fast path is the usual one: a finance export with nothing odd is not left over."""
    rows = [
        ["9/15/2024", "611", "Leveled readers", "Book Co", "$2,500.00", "", ""],
        ["2024-10-01", "322", "Coaching PD", "", "1500", "L12", "Literacy"],
        ["", "", "", "", "", "", ""],  # a blank row: skipped, and counted
        ["10/31/24", "611", "Refund", "Book Co", "(250.00)", "", ""],
    ]
    content = csv_file(rows, newline="\r\n")
    fast = columnar(content)
    assert fast == reference(content)
    assert [(r.row, r.day, r.amount) for r in fast] == [
        (2, dt.date(2024, 9, 15), Decimal("2500.00")),
        (3, dt.date(2024, 10, 1), Decimal("1500")),
        (5, dt.date(2024, 10, 31), Decimal("-250.00")),
    ]


@pytest.mark.parametrize(
    ("cell", "column"),
    [("12.345", 4), ("13/1/2024", 0), ("", 2), ('"quoted"', 2), ("x" * 41, 1)],
)
def test_a_cell_the_reference_refuses_or_might_read_otherwise_is_left_to_it(cell, column):
    row = ["2024-10-01", "322", "Coaching PD", "", "1500", "", ""]
    row[column] = cell
    with pytest.raises(Doubtful):
        read_ledger("f.csv", csv_file([row]), MAPPING)


def test_a_workbook_is_left_to_the_reference():
    with pytest.raises(Doubtful):
        read_ledger("f.xlsx", b"PK...", MAPPING)


@given(rows=st.integers(0, 40), size=st.integers(1, 12), first=st.integers(1, 12) | st.none())
def test_slices_make_the_whole_file_with_its_row_numbers(rows, size, first):
    lines = [["2024-10-01", "611", f"Item {i}", "", f"{i}.50", "", ""] for i in range(rows)]
    lines[1::7] = [[""] * 7 for _ in lines[1::7]]  # blank rows are skipped, and counted
    content = csv_file(lines)
    sliced = list(ledger_slices("f.csv", content, MAPPING, size, first))
    assert all(part.height <= size for part in sliced)
    assert sliced[0].height <= (first or size)
    assert ledger_rows(pl.concat(sliced)) == reference(content)


def test_a_doubt_in_a_late_slice_comes_after_the_good_slices():
    """The import writes slices as they come; a doubt raised late makes it start again with the
    reference (services.expenditure_import)."""
    lines = [["2024-10-01", "611", f"Item {i}", "", "1", "", ""] for i in range(6)]
    lines[5][4] = "not money"
    parts = ledger_slices("f.csv", csv_file(lines), MAPPING, 2)
    assert next(parts).height == 2 and next(parts).height == 2
    with pytest.raises(Doubtful):
        next(parts)


# Plans as matching sees them: lines sharing codes and labels, positions sharing titles, titles
# inside one another, and case that Python folds and polars lower-cases differently.
_labels = st.sampled_from(["Supplies", "supplies", "Books", "Straße", "STRASSE", "Coach 1"])
_titles = st.sampled_from(["Coach 1", "coach 12", "Teacher", "Straße", "Reading tutor", "ß"])
_strategies = st.sampled_from(["", "Literacy", "Math", "LITERACY"])


@st.composite
def _plans(draw):
    candidates = []
    for number, (code, label, strategy) in enumerate(
        draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["300", "322", "611", "600", "112"]), _labels, _strategies
                ),
                max_size=8,
            )
        ),
        start=1,
    ):
        candidates.append(Candidate(f"line:{number}", code, label, strategy))
    for number, (title, strategy) in enumerate(
        draw(st.lists(st.tuples(_titles, _strategies), max_size=8)), start=1
    ):
        candidates.append(Candidate(f"position:{number}:salary", "100", title, strategy))
        candidates.append(Candidate(f"position:{number}:benefits", "200", title, strategy))
    return Matcher(candidates, salary_family="100", benefits_family="200")


_descriptions = st.lists(
    st.sampled_from(
        [
            "Coach 12",
            "COACH 1",
            "teacher",
            "supplies",
            "books",
            "STRASSE",
            "straße",
            "payroll",
            "Reading tutor",
            "SS",
            "x",
        ]
    ),
    max_size=3,
).map(" ".join)
_items = st.sampled_from(["", "L1", "l2", "P1", "p 2", "line 3", "Position #1", "Supplies", "L99"])
_expenditures = st.lists(
    st.builds(
        ExpenditureRow,
        row=st.just(2),
        day=st.just(dt.date(2024, 10, 1)),
        object_code=st.sampled_from(["111", "112", "211", "300", "322", "611", "600", "700"]),
        description=_descriptions,
        vendor=st.just(""),
        amount=st.just(Decimal("1")),
        item=_items,
        strategy=_strategies,
    ),
    max_size=20,
)


@settings(max_examples=300)
@given(matcher=_plans(), rows=_expenditures)
def test_the_columnar_matcher_gives_each_row_the_matchers_item(matcher, rows):
    assert match_keys(ledger_frame(rows), matcher).to_list() == [matcher(row) for row in rows]
