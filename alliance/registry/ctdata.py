"""Reads the bundled Connecticut data files into plain records, checking every cell.

Pure Python: no Django. Any problem raises ``DataFileError`` naming the file, row and column, before
anything is written; ``alliance.registry.services.registry_load`` then writes it all in one
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from alliance.lib.datafile import DataFileError, Row, read_rows
from alliance.lib.fiscal import school_year_end

NGA_EXPORT = "nga_2024_25_export.csv.gz"
ACCOUNTABILITY_2015_16 = "ngas_district_accountability_2015_16.csv"
ENROLLMENT_FILES = (
    "edsight_district_enrollment_2015_16_and_2016_17.csv",
    "edsight_district_enrollment_2024_25.csv",
)
ECS_ALLOCATIONS = "ecs_alliance_grants_by_town_fy.csv"
DESIGNATIONS = "alliance_and_opportunity_districts.csv"
COHORTS = "designation_cohorts.csv"

DISTRICT_TYPES = {"11", "12", "13", "14", "15", "16", "18", "22"}
SCHOOL_TYPES = {
    "Public Schools",
    "Regional Schools",
    "Regional Education Service Center Schools",
    "Public Charter Schools",
    "CT Technical Education and Career Schools",
    "State Agency Facilities",
    "Endowed and Incorporated Academies Schools",
    "College Affiliated Schools",
}
GRADES = {"PK", "K", *(str(g) for g in range(1, 13))}
TITLE_I_TYPES = {"", "Schoolwide", "Targeted Assistance"}
COHORT_KINDS = {"alliance", "opportunity"}
LOCAL_SUFFIX = "0011"
LOCAL_NAME_SUFFIX = " School District"


@dataclass(frozen=True)
class TownRecord:
    code: int
    name: str


@dataclass(frozen=True)
class DistrictRecord:
    code: str
    name: str
    district_type: str
    town_code: int | None


@dataclass(frozen=True)
class SchoolRecord:
    code: str
    name: str
    district_code: str
    school_type: str
    low_grade: str
    high_grade: str
    title_i_type: str


@dataclass(frozen=True)
class EnrollmentRecord:
    district_code: str
    school_year: str
    students: int | None
    source: str


@dataclass(frozen=True)
class AllocationRecord:
    district_code: str
    fiscal_year: int
    alliance_amount: Decimal
    ecs_entitlement: Decimal
    education_diversity_amount: Decimal | None
    non_alliance_amount: Decimal
    source: str


@dataclass(frozen=True)
class CohortRecord:
    code: str
    kind: str
    name: str
    first_fiscal_year: int
    last_fiscal_year: int
    size: int
    basis: str
    source: str
    district_codes: tuple[str, ...]


@dataclass
class RegistryData:
    towns: dict[int, TownRecord] = field(default_factory=dict)
    districts: dict[str, DistrictRecord] = field(default_factory=dict)
    schools: dict[str, SchoolRecord] = field(default_factory=dict)
    enrollments: dict[tuple[str, str], EnrollmentRecord] = field(default_factory=dict)
    allocations: dict[tuple[str, int], AllocationRecord] = field(default_factory=dict)
    cohorts: dict[str, CohortRecord] = field(default_factory=dict)


def read_registry(data_dir: Path) -> RegistryData:
    data = RegistryData()
    # Names come from the newest file first; older files only add districts that have closed.
    _read_nga_export(data_dir / NGA_EXPORT, data)
    for name in reversed(ENROLLMENT_FILES):
        _read_enrollment(data_dir / name, data)
    _read_accountability_2015_16(data_dir / ACCOUNTABILITY_2015_16, data)
    _read_allocations(data_dir / ECS_ALLOCATIONS, data)
    _read_cohorts(data_dir / COHORTS, data_dir / DESIGNATIONS, data)
    return data


def _district_code(row: Row, column: str) -> str:
    code = row.code(column, digits=7)
    if code[-2:] not in DISTRICT_TYPES:
        raise row.error(
            column, f"{code} ends in {code[-2:]}, which is not a CSDE organisation type"
        )
    return code


def _add_district(data: RegistryData, row: Row, code_column: str, name_column: str) -> str:
    code = _district_code(row, code_column)
    if code in data.districts:
        return code
    name = row.text(name_column)
    town_code: int | None = None
    if code.endswith(LOCAL_SUFFIX):
        town_code = int(code[:3])
        if not 1 <= town_code <= 169:
            raise row.error(
                code_column, f"{code} is a local district of town {town_code}, not 1-169"
            )
        if not name.endswith(LOCAL_NAME_SUFFIX):
            raise row.error(name_column, f"{name!r} should end with {LOCAL_NAME_SUFFIX!r}")
        data.towns.setdefault(
            town_code, TownRecord(town_code, name.removesuffix(LOCAL_NAME_SUFFIX))
        )
    data.districts[code] = DistrictRecord(code, name, code[-2:], town_code)
    return code


def _read_nga_export(path: Path, data: RegistryData) -> None:
    columns = (
        "RptngDistrictName",
        "ReportingDistrictCode",
        "SchoolName",
        "SchoolCode",
        "SchoolOrgType",
        "SchoolLowGrade",
        "SchoolHighGrade",
        "SchoolTitleIType",
        "Category",
    )
    for row in read_rows(path, required_columns=columns):
        category = row.text("Category")
        if category == "StateTot":
            continue
        if category not in ("DistrictTot", "SchoolTot"):
            raise row.error("Category", f"{category!r} is not StateTot, DistrictTot or SchoolTot")
        district_code = _add_district(data, row, "ReportingDistrictCode", "RptngDistrictName")
        if category == "DistrictTot":
            continue
        code = row.code("SchoolCode", digits=7)
        if code in data.schools:
            raise row.error("SchoolCode", f"school {code} appears twice")
        school_type = row.text("SchoolOrgType")
        if school_type not in SCHOOL_TYPES:
            raise row.error("SchoolOrgType", f"{school_type!r} is not a known school type")
        grades = []
        for column in ("SchoolLowGrade", "SchoolHighGrade"):
            grade = row.text(column)
            if grade not in GRADES:
                raise row.error(column, f"{grade!r} is not a grade (PK, K, 1-12)")
            grades.append(grade)
        title_i = row.text("SchoolTitleIType", required=False)
        if title_i not in TITLE_I_TYPES:
            raise row.error("SchoolTitleIType", f"{title_i!r} is not a Title I type")
        data.schools[code] = SchoolRecord(
            code=code,
            name=row.text("SchoolName"),
            district_code=district_code,
            school_type=school_type,
            low_grade=grades[0],
            high_grade=grades[1],
            title_i_type=title_i,
        )


def _read_enrollment(path: Path, data: RegistryData) -> None:
    columns = ("school_year", "district_name", "district_code", "enrollment_count")
    for row in read_rows(path, required_columns=columns):
        code = _add_district(data, row, "district_code", "district_name")
        school_year = row.text("school_year")
        try:
            school_year_end(school_year)
        except ValueError as exc:
            raise row.error("school_year", str(exc)) from None
        key = (code, school_year)
        if key in data.enrollments:
            raise row.error("district_code", f"{code} has two {school_year} counts")
        data.enrollments[key] = EnrollmentRecord(
            district_code=code,
            school_year=school_year,
            students=row.optional_integer("enrollment_count", suppressed=("*",)),
            source=f"EdSight Student Counts by District and Year ({path.name})",
        )


def _read_accountability_2015_16(path: Path, data: RegistryData) -> None:
    for row in read_rows(path, required_columns=("district_name", "district_code")):
        _add_district(data, row, "district_code", "district_name")


def _read_allocations(path: Path, data: RegistryData) -> None:
    columns = (
        "town_code",
        "town",
        "fiscal_year",
        "ecs_entitlement",
        "alliance_portion",
        "education_diversity_portion",
        "non_alliance_portion",
    )
    for row in read_rows(path, required_columns=columns):
        town_code = row.integer("town_code", minimum=1)
        district_code = f"{town_code:03d}{LOCAL_SUFFIX}"
        if district_code not in data.districts:
            raise row.error("town_code", f"town {town_code} has no local district {district_code}")
        fiscal_year = row.integer("fiscal_year", minimum=2000)
        amounts = {
            column: row.amount(column)
            for column in ("ecs_entitlement", "alliance_portion", "non_alliance_portion")
        }
        diversity = row.amount("education_diversity_portion", required=False)
        for column, amount in amounts.items():
            if amount is not None and amount < 0:
                raise row.error(column, f"{amount} is negative")
        entitlement = amounts["ecs_entitlement"]
        alliance = amounts["alliance_portion"]
        rest = amounts["non_alliance_portion"]
        assert entitlement is not None and alliance is not None and rest is not None
        if alliance + rest + (diversity or 0) != entitlement:
            raise row.error(
                "ecs_entitlement",
                f"{entitlement} is not the sum of the Alliance, Education Diversity and "
                f"non-Alliance portions ({alliance + rest + (diversity or 0)})",
            )
        key = (district_code, fiscal_year)
        if key in data.allocations:
            raise row.error("fiscal_year", f"town {town_code} has two FY{fiscal_year} rows")
        data.allocations[key] = AllocationRecord(
            district_code=district_code,
            fiscal_year=fiscal_year,
            alliance_amount=alliance,
            ecs_entitlement=entitlement,
            education_diversity_amount=diversity,
            non_alliance_amount=rest,
            source="CSDE Bureau of Fiscal Services, ECS Alliance/non-Alliance breakout",
        )


def _read_cohorts(cohorts_path: Path, lists_path: Path, data: RegistryData) -> None:
    cohort_rows = list(
        read_rows(
            cohorts_path,
            required_columns=(
                "code",
                "kind",
                "name",
                "first_fiscal_year",
                "last_fiscal_year",
                "size",
                "list_column",
                "basis",
                "source",
            ),
        )
    )
    list_columns = [row.text("list_column") for row in cohort_rows]
    members: dict[str, list[str]] = {column: [] for column in list_columns}
    for row in read_rows(lists_path, required_columns=("district_code", *list_columns)):
        code = _district_code(row, "district_code")
        if code not in data.districts:
            raise row.error("district_code", f"{code} is not a district in the other files")
        for column in list_columns:
            if row.flag(column):
                members[column].append(code)
    for row in cohort_rows:
        kind = row.text("kind")
        if kind not in COHORT_KINDS:
            raise row.error("kind", f"{kind!r} is not one of {', '.join(sorted(COHORT_KINDS))}")
        first = row.integer("first_fiscal_year", minimum=2000)
        last = row.integer("last_fiscal_year", minimum=first)
        size = row.integer("size", minimum=1)
        column = row.text("list_column")
        codes = members[column]
        if len(codes) != size:
            raise row.error(
                "size",
                f"the law designates {size} districts but {lists_path.name} column {column} "
                f"names {len(codes)}",
            )
        code = row.text("code")
        if code in data.cohorts:
            raise row.error("code", f"cohort {code} appears twice")
        data.cohorts[code] = CohortRecord(
            code=code,
            kind=kind,
            name=row.text("name"),
            first_fiscal_year=first,
            last_fiscal_year=last,
            size=size,
            basis=row.text("basis"),
            source=row.text("source"),
            district_codes=tuple(codes),
        )


__all__ = ["DataFileError", "RegistryData", "read_registry"]
