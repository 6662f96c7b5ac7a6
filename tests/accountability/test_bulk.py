"""The whole-file path of `ngas compute` writes exactly what the Decimal engine writes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from alliance.accountability.bulk import compute_file_bulk
from alliance.accountability.export import compute_export, read_export, write_results
from alliance.accountability.rules import load_rules
from alliance.lib.datafile import DataFileError

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = [
    settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz",
    FIXTURES / "nga_2014_15_districts_sample.csv",
    FIXTURES / "nga_2018_19_districts_sample.csv",
]


def reference(source: Path, out: Path) -> list[str]:
    export = read_export(source)
    results = compute_export(export)
    write_results(out, export, results, load_rules())
    return [f"row {row.number} {row.name}: {w}" for row, result in results for w in result.warnings]


@pytest.mark.parametrize("source", EXPORTS, ids=lambda p: p.name)
def test_every_cell_of_every_bundled_export_is_written_the_same(tmp_path, source):
    warnings = reference(source, tmp_path / "reference.csv")
    summary = compute_file_bulk(source, tmp_path / "bulk.csv")
    assert (tmp_path / "bulk.csv").read_text() == (tmp_path / "reference.csv").read_text()
    assert list(summary.warnings) == warnings


def test_the_2024_25_export_has_every_kind_of_row(tmp_path):
    summary = compute_file_bulk(EXPORTS[0], tmp_path / "bulk.csv")
    assert summary.entities == 1194 and summary.school_year == "2024-25"
    assert len(summary.warnings) == 54


HEADER = gzip.decompress(EXPORTS[0].read_bytes()).decode("utf-8-sig").splitlines()[2]
COLUMNS = HEADER.replace('"', "").split(",")
RATES = [c for c in load_rules().for_school_year("2024-25").rate_columns]
rate = st.one_of(st.just("."), st.decimals(min_value=0, max_value=1, places=6).map(str))
index = st.one_of(st.just("."), st.decimals(min_value=0, max_value=100, places=6).map(str))


@hsettings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                c: (
                    index
                    if c.startswith("Ind1") and c.endswith("Rate") and "Ind11" not in c
                    else rate
                )
                for c in RATES
            }
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_rates_give_the_same_figures_on_both_paths(tmp_path, rows):
    lines = [HEADER]
    for i, values in enumerate(rows):
        fields = {c: "." for c in COLUMNS}
        fields.update(values)
        fields.update(
            RptngDistrictName=f"District {i}", ReportingDistrictCode=f'="{i + 1:05d}11"',
            SchoolName="District", SchoolCode='="0000000"', Category="DistrictTot", schoolyear="2024-25",
            Hurdle_Mean_ELA="16.920202", Hurdle_Means_Grad="8.649565",
        )  # fmt: skip
        lines.append(",".join(fields[c] for c in COLUMNS))
    source = tmp_path / "random.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference(source, tmp_path / "reference.csv")
    compute_file_bulk(source, tmp_path / "bulk.csv")
    assert (tmp_path / "bulk.csv").read_text() == (tmp_path / "reference.csv").read_text()


BAD = [
    ('"Ind4Rate","Ind4Points"', '"Ind4Ratio","Ind4Points"'),
    ("0.256540,8.692083", "lots,8.692083"),
    ('"DistrictTot",762.690208', '"Total",762.690208'),
    ('"=""0640011"""', '"=""064001"""'),
    ('"RptngDistrictName","ReportingDistrictCode"', '"DistrictName","ReportingDistrictCode"'),
    ('"2014-15"\n2014.000000,"Hartford', '"2019-20"\n2014.000000,"Hartford'),
]


@pytest.mark.parametrize(("old", "new"), BAD)
def test_bad_files_get_the_same_message_on_both_paths(tmp_path, old, new):
    text = (FIXTURES / "nga_2014_15_districts_sample.csv").read_text(encoding="utf-8-sig")
    assert old in text
    source = tmp_path / "bad.csv"
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as expected:
        read_export(source)
    with pytest.raises(DataFileError) as got:
        compute_file_bulk(source, tmp_path / "out.csv")
    assert str(got.value) == str(expected.value)
    assert not (tmp_path / "out.csv").exists()


def test_a_duplicate_is_named_the_same_way(tmp_path):
    lines = (
        (FIXTURES / "nga_2014_15_districts_sample.csv").read_text(encoding="utf-8-sig").splitlines()
    )
    source = tmp_path / "dup.csv"
    source.write_text("\r\n".join([*lines, lines[4]]) + "\r\n", encoding="utf-8")
    with pytest.raises(DataFileError) as expected:
        read_export(source)
    with pytest.raises(DataFileError) as got:
        compute_file_bulk(source, tmp_path / "out.csv")
    assert str(got.value) == str(expected.value)
