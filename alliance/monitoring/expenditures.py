"""Reading a finance system's expenditure export (CSV or XLSX) through a column mapping, and
matching each row to a budget item. Pure: the import service stores what this returns.

Every row is read before anything is stored; a file with any bad row is refused whole, with every
bad cell named by file, row and column (the first 50).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from alliance.lib.datafile import DataFileError

FIELDS = {
    "date": "Date",
    "object_code": "Object or account code",
    "description": "Description",
    "vendor": "Vendor or payee",
    "amount": "Amount",
    "strategy": "Strategy (optional)",
    "item": "Budget line (optional)",
}
REQUIRED = ("date", "object_code", "description", "amount")
TEXT_FIELDS = ("object_code", "description", "vendor", "item", "strategy")
# The expenditure table's sizes: longer descriptions and vendors are cut, a longer code refused.
LENGTHS = {"object_code": 40, "description": 300, "vendor": 200}
MAX_DIGITS = 12  # whole digits of an amount (numeric(14, 2))
MAX_ERRORS = 50
_AMOUNT = re.compile(
    r"^(?P<open>\()?\s*(?P<sign>-)?\s*\$?\s*(?P<digits>[\d,]*\.?\d*)\s*(?P<close>\))?$"
)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


class ExpenditureFileError(ValueError):
    """The file was refused; `errors` names each bad cell."""

    def __init__(self, errors: list[DataFileError], more: int = 0) -> None:
        self.errors, self.more = errors, more
        text = "; ".join(str(e) for e in errors[:3])
        super().__init__(
            text + (f"; and {len(errors) - 3 + more} more" if len(errors) + more > 3 else "")
        )


@dataclass(frozen=True)
class ExpenditureRow:
    row: int
    day: dt.date
    object_code: str
    description: str
    vendor: str
    amount: Decimal
    item: str  # what the file says the budget line is; "" when not mapped or blank
    strategy: str = ""  # the plan strategy the file names, if it has such a column


def parse_amount(text: str) -> Decimal:
    """'$1,234.56', '1234.5', '(1,234.56)' and '-$12' are amounts; cents at most."""
    match = _AMOUNT.match(text.strip())
    if not match or not match["digits"].strip(".,") or bool(match["open"]) != bool(match["close"]):
        raise ValueError(f"{text!r} is not an amount of money")
    digits = match["digits"].replace(",", "")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount of money") from None
    _check_size(text, amount)
    negative = bool(match["open"]) or bool(match["sign"])
    return -amount if negative else amount


def _check_size(text: object, amount: Decimal) -> None:
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{text!r} has more than two decimal places")
    if abs(amount) >= 10**MAX_DIGITS:
        raise ValueError(f"{text!r} is too large for an amount of money")


def parse_day(value: object) -> dt.date:
    """A date as a spreadsheet cell or text: 2024-09-15, 9/15/2024 or 9/15/24."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else _us(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use 2024-09-15 or 9/15/2024)") from None


def _us(text: str) -> dt.date:
    match = _US_DATE.match(text)
    if not match:
        raise ValueError(text)
    month, day, year = (int(g) for g in match.groups())
    return dt.date(year + 2000 if year < 100 else year, month, day)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # A spreadsheet's number: keep it exact to the cent as it was typed.
        return f"{Decimal(repr(value)):f}"
    return str(value).strip()


def fingerprint(content: bytes) -> str:
    """The same file loaded twice has the same fingerprint."""
    return hashlib.sha256(content).hexdigest()


def table_rows(name: str, content: bytes) -> tuple[list[str], Iterator[tuple[int, list[object]]]]:
    """The header and the numbered data rows of a CSV or XLSX file."""
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(name, content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # what Excel on Windows writes as "CSV"
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not header:
        raise ExpenditureFileError([DataFileError(name, None, None, "is empty")])

    def rows() -> Iterator[tuple[int, list[object]]]:
        for fields in reader:
            if any(f.strip() for f in fields):
                yield reader.line_num, list(fields)

    return header, rows()


def _xlsx_rows(name: str, content: bytes) -> tuple[list[str], Iterator[tuple[int, list[object]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ExpenditureFileError(
            [DataFileError(name, None, None, f"is not an Excel workbook ({exc})")]
        ) from exc
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(values, ())]

    def rows() -> Iterator[tuple[int, list[object]]]:
        for number, cells in enumerate(values, start=2):
            if any(_cell_text(c) for c in cells):
                yield number, list(cells)

    return header, rows()


def read_expenditures(
    name: str, header: list[str], rows: Iterable[tuple[int, list[object]]],
    mapping: Mapping[str, str],
) -> list[ExpenditureRow]:  # fmt: skip
    """Every row through the mapping ({field: column header}); all good, or ExpenditureFileError."""
    errors: list[DataFileError] = []
    index = {}
    for field, column in mapping.items():
        if column and column not in header:
            columns = ", ".join(header)
            errors.append(
                DataFileError(name, 1, column, f"is not a column of this file ({columns})")
            )
        elif column:
            index[field] = header.index(column)
    missing = [FIELDS[f] for f in REQUIRED if not mapping.get(f)]
    if missing:
        errors.append(
            DataFileError(name, None, None, f"choose the column for {', '.join(missing)}")
        )
    if errors:
        raise ExpenditureFileError(errors)
    result, more = [], 0
    for number, cells in rows:
        row, row_errors = _read_row(name, number, cells, index, mapping)
        if row is not None:
            result.append(row)
        elif len(errors) < MAX_ERRORS:
            errors.extend(row_errors[: MAX_ERRORS - len(errors)])
        else:
            more += 1
    if errors:
        raise ExpenditureFileError(errors, more)
    return result


def _amount(value: object) -> Decimal:
    if isinstance(value, float):  # a spreadsheet number: as typed, not as binary
        amount = Decimal(repr(value))
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        return parse_amount(_cell_text(value))
    _check_size(value, amount)
    return amount


def _read_row(
    name: str, number: int, cells: list[object], index: dict[str, int], mapping: Mapping[str, str]
) -> tuple[ExpenditureRow | None, list[DataFileError]]:
    values = {f: cells[i] if i < len(cells) else None for f, i in index.items()}
    errors: list[DataFileError] = []

    def fail(field: str, message: str) -> None:
        errors.append(DataFileError(name, number, mapping[field], message))

    day = amount = None
    try:
        day = parse_day(values["date"]) if _cell_text(values["date"]) else None
        if day is None:
            fail("date", "is empty")
    except ValueError as exc:
        fail("date", str(exc))
    try:
        amount = _amount(values["amount"])
    except ValueError as exc:
        fail("amount", str(exc))
    texts = {f: _cell_text(values.get(f)) for f in TEXT_FIELDS}
    for field in ("object_code", "description"):
        if not texts[field]:
            fail(field, "is empty")
    if len(texts["object_code"]) > LENGTHS["object_code"]:
        fail("object_code", f"is longer than {LENGTHS['object_code']} characters")
    for field in ("object_code", "description", "vendor"):
        if "\x00" in texts[field]:  # a database cannot store it
            fail(field, "holds a NUL character")
    if errors or day is None or amount is None:
        return None, errors
    row = ExpenditureRow(
        row=number, day=day, object_code=texts["object_code"],
        description=texts["description"][: LENGTHS["description"]],
        vendor=texts["vendor"][: LENGTHS["vendor"]], amount=amount,
        item=texts["item"], strategy=texts["strategy"],
    )  # fmt: skip
    return row, []


def guess_mapping(header: list[str]) -> dict[str, str]:
    """A first guess at the mapping from the column names finance systems use."""
    hints = {
        "date": ("date", "posted", "check date", "invoice date", "transaction date"),
        "object_code": ("object", "account", "acct", "code"),
        "description": ("description", "desc", "memo", "detail"),
        "vendor": ("vendor", "payee", "supplier", "name"),
        "amount": ("amount", "amt", "expended", "expenditure", "debit", "total"),
        "strategy": ("strategy", "program", "initiative"),
        "item": ("budget line", "line", "alliance line", "item"),
    }
    mapping: dict[str, str] = {}
    for field, words in hints.items():
        for column in header:
            lowered = column.lower()
            if column not in mapping.values() and any(w in lowered for w in words):
                mapping[field] = column
                break
    return mapping
