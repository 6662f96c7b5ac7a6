"""Reading tabular data files with errors that point at the file, row and column.

Row numbers are the file's own line numbers (1 = the first line), as a spreadsheet shows them, so a
user can open the file and go straight to the cell.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

# EdSight wraps codes as ="0170011" so Excel keeps the leading zeros.
_EXCEL_TEXT = re.compile(r'^="(.*)"$')
_HEADER_SEARCH_LINES = 10


class DataFileError(ValueError):
    def __init__(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.file, self.row, self.column, self.message = file, row, column, message
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


def unwrap_excel_text(value: str) -> str:
    match = _EXCEL_TEXT.match(value)
    return match.group(1) if match else value


@dataclass(frozen=True)
class Row:
    file: str
    number: int
    values: dict[str, str]

    def error(self, column: str | None, message: str) -> DataFileError:
        return DataFileError(self.file, self.number, column, message)

    def text(self, column: str, *, required: bool = True) -> str:
        value = unwrap_excel_text(self.values[column].strip())
        if required and value == "":
            raise self.error(column, "is empty")
        return value

    def code(self, column: str, *, digits: int) -> str:
        value = self.text(column)
        if not (len(value) == digits and value.isdigit()):
            raise self.error(column, f"{value!r} is not a {digits}-digit code")
        return value

    def integer(self, column: str, *, minimum: int | None = None) -> int:
        value = self.text(column)
        try:
            number = int(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise self.error(column, f"{number} is below the minimum of {minimum}")
        return number

    def optional_integer(self, column: str, *, suppressed: Sequence[str] = ()) -> int | None:
        value = self.text(column, required=False)
        if value == "" or value in suppressed:
            return None
        return self.integer(column, minimum=0)

    def amount(self, column: str, *, required: bool = True) -> Decimal | None:
        value = self.text(column, required=required)
        if value == "":
            return None
        try:
            number = Decimal(value.replace(",", "").replace("$", ""))
        except InvalidOperation:
            raise self.error(column, f"{value!r} is not an amount of money") from None
        if not number.is_finite():
            raise self.error(column, f"{value!r} is not an amount of money")
        return number

    def flag(self, column: str) -> bool:
        value = self.text(column)
        if value not in ("0", "1"):
            raise self.error(column, f"{value!r} is not 0 or 1")
        return value == "1"


def _open_text(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return path.open(newline="", encoding="utf-8-sig")


def read_rows(path: Path, *, required_columns: Sequence[str]) -> Iterator[Row]:
    """Yield the data rows of a CSV file as ``Row`` objects.

    The header is the first line (within the first few) that names every required column, so
    files with a title above the header, as EdSight publishes them, read the same as plain CSV.
    A ``.gz`` file is read through gzip, so large exports can be kept compressed.
    """
    name = path.name
    try:
        handle = _open_text(path)
    except OSError as exc:
        raise DataFileError(name, None, None, f"cannot be read ({exc.strerror})") from exc
    with handle:
        reader = csv.reader(handle)
        header: list[str] | None = None
        closest: tuple[int, int, list[str]] = (0, 1, list(required_columns))
        try:
            for fields in reader:
                if header is None:
                    stripped = [f.strip() for f in fields]
                    missing = [c for c in required_columns if c not in stripped]
                    if not missing:
                        header = stripped
                        continue
                    found = len(required_columns) - len(missing)
                    if found > closest[0]:
                        closest = (found, reader.line_num, missing)
                    if reader.line_num >= _HEADER_SEARCH_LINES:
                        break
                    continue
                if not any(f.strip() for f in fields):
                    continue
                if len(fields) != len(header):
                    raise DataFileError(
                        name,
                        reader.line_num,
                        None,
                        f"has {len(fields)} fields but the header has {len(header)}",
                    )
                yield Row(name, reader.line_num, dict(zip(header, fields, strict=True)))
        except csv.Error as exc:
            raise DataFileError(name, reader.line_num, None, f"is not valid CSV ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise DataFileError(name, None, None, "is not UTF-8 text") from exc
        except (OSError, EOFError) as exc:  # a damaged .gz file
            raise DataFileError(name, None, None, f"cannot be read ({exc})") from exc
        if header is None:
            _, line, missing = closest
            raise DataFileError(name, line, missing[0], "is missing from the header row")
