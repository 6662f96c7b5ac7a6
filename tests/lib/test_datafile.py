import gzip

import pytest

from alliance.lib.datafile import DataFileError, read_rows

EDSIGHT = (
    '"Next Generation Accountability, 2024-25"\r\n'
    "\r\n"
    '"RptngDistrictName","ReportingDistrictCode","TotalPoints"\r\n'
    '"Bristol School District","=""0170011""",1024.496642\r\n'
)


def test_a_title_above_the_header_is_skipped_and_excel_codes_unwrapped(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(EDSIGHT, encoding="utf-8", newline="")
    (row,) = read_rows(path, required_columns=("ReportingDistrictCode",))
    assert row.number == 4
    assert row.code("ReportingDistrictCode", digits=7) == "0170011"
    assert row.amount("TotalPoints") is not None


def test_gzip_files_read_the_same(tmp_path):
    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(EDSIGHT.encode()))
    (row,) = read_rows(path, required_columns=("ReportingDistrictCode",))
    assert row.text("RptngDistrictName") == "Bristol School District"


def test_a_short_row_names_its_row(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"^short\.csv, row 3: has 1 fields but the header has 2"
    ):
        list(read_rows(path, required_columns=("a", "b")))


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("a,c\n1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"^cols\.csv, row 1, column b: is missing"):
        list(read_rows(path, required_columns=("a", "b")))


def test_cells_are_checked_with_their_column_named(tmp_path):
    path = tmp_path / "cells.csv"
    path.write_text("code,n,flag\n12345,x,2\n", encoding="utf-8")
    (row,) = read_rows(path, required_columns=("code", "n", "flag"))
    with pytest.raises(DataFileError, match=r"row 2, column code: '12345' is not a 7-digit code"):
        row.code("code", digits=7)
    with pytest.raises(DataFileError, match=r"row 2, column n: 'x' is not a whole number"):
        row.integer("n")
    with pytest.raises(DataFileError, match=r"row 2, column flag: '2' is not 0 or 1"):
        row.flag("flag")


def test_a_file_that_is_not_text_is_refused(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(DataFileError, match=r"^binary\.csv: is not UTF-8 text"):
        list(read_rows(path, required_columns=("a",)))


def test_a_damaged_gzip_file_is_refused(tmp_path):
    path = tmp_path / "damaged.csv.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(DataFileError, match=r"^damaged\.csv\.gz: cannot be read"):
        list(read_rows(path, required_columns=("a",)))
