"""The NGAS engine against the analyst-readable cases in cases.yaml, and its general properties."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from alliance.accountability.engine import compute_entity, entity_span
from alliance.accountability.rules import RulesError, load_rules

RULES = load_rules()
CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))
SIX = Decimal("0.000001")

# The span (Indicator 1's maxima) is set by what else the entity reports; these inputs produce each.
SPAN_INPUTS = {
    "with_growth": {"Ind2ELA_All_Rate": Decimal("0.5")},
    "high_school": {"Ind8Rate": Decimal("0.9")},
    "other": {},
}


def q(value: Decimal) -> Decimal:
    return value.quantize(SIX)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case):
    rules = RULES.for_school_year(case.get("year", "2024-25"))
    cell = next(c for c in RULES.all_cells if c.key == case["cell"])
    values: dict[str, Decimal | None] = {}
    if case["span"] in SPAN_INPUTS and (case.get("year", "2024-25") != "2014-15"):
        values.update(SPAN_INPUTS[case["span"]])
    for column, value in (case.get("inputs") or {}).items():
        values[column] = Decimal(value)
    values[cell.rate] = None if case["rate"] is None else Decimal(case["rate"])
    result = compute_entity(rules, values, lowest_grade=None)
    assert result.span == case["span"]
    computed = result.cells.get(cell.key)
    if case["points"] is None:
        assert computed is None
        return
    assert computed is not None
    assert q(computed.points) == q(Decimal(case["points"]))
    assert computed.possible == Decimal(case["possible"])


RATE_CELLS = [c for c in RULES.for_school_year("2024-25").cells]


@pytest.mark.parametrize("cell", RATE_CELLS, ids=[c.key for c in RATE_CELLS])
@given(
    a=st.decimals(min_value=0, max_value=2, places=6),
    b=st.decimals(min_value=0, max_value=2, places=6),
)
def test_points_stay_within_zero_and_the_maximum_and_move_the_right_way(cell, a, b):
    rules = RULES.for_school_year("2024-25")
    scale = Decimal(100) if cell.indicator == 1 else Decimal(1)
    low, high = sorted((a * scale / 2, b * scale / 2))
    extra = {cell.applies_with: Decimal(1)} if cell.applies_with else {}
    points = []
    for rate in (low, high):
        result = compute_entity(rules, {cell.rate: rate, **SPAN_INPUTS["with_growth"], **extra})
        computed = result.cells[cell.key]
        assert 0 <= computed.points <= computed.possible == cell.maximum("with_growth")
        points.append(computed.points)
    if cell.lower_is_better:
        assert points[0] >= points[1]
    else:
        assert points[0] <= points[1]


def test_the_index_is_the_share_of_possible_points():
    rules = RULES.for_school_year("2024-25")
    result = compute_entity(
        rules,
        {"Ind1ELA_All_Rate": Decimal("75"), "Ind2ELA_All_Rate": Decimal("0.5"), "Ind12Rate": None},
    )
    assert result.total_points == Decimal(50) + Decimal(50)
    assert result.total_possible == Decimal(150)
    assert result.index is not None and q(result.index) == q(Decimal(100) * 100 / 150)


def test_nothing_to_score_has_no_index():
    result = compute_entity(RULES.for_school_year("2024-25"), {})
    assert result.total_possible == 0 and result.index is None


def test_span_before_growth_is_decided_by_grades():
    rules = RULES.for_school_year("2014-15")
    values = {"Ind8Rate": Decimal("0.9")}
    assert entity_span(rules, values, lowest_grade=9) == "high_school"
    assert entity_span(rules, values, lowest_grade=-1) == "other"
    assert entity_span(rules, values, lowest_grade=None) == "other"


def test_span_with_growth_ignores_misleading_grades():
    # Waterbury Career Academy 2024-25 is listed PK-12 and scored as a high school.
    rules = RULES.for_school_year("2024-25")
    assert entity_span(rules, {"Ind5Rate": Decimal("0.7")}, lowest_grade=-1) == "high_school"
    assert entity_span(rules, {"Ind4Rate": Decimal("0.1")}, lowest_grade=0) == "other"


def test_achievement_gap_flag_compares_each_subject_with_its_hurdle():
    rules = RULES.for_school_year("2024-25")
    base = {"Hurdle_Mean_ELA": Decimal("16.920202"), "Hurdle_Mean_Math": Decimal("18.379009")}
    # Middletown 2024-25: ELA gap 18.90 > 16.92.
    flagged = {**base, "Ind1ELA_HN_Rate": Decimal("50"), "Ind1ELA_NHN_Rate": Decimal("68.90")}
    assert compute_entity(rules, flagged).achievement_gap_flag == 1
    # The non-high-needs value is capped at 75 before the gap is taken.
    capped = {**base, "Ind1ELA_HN_Rate": Decimal("60"), "Ind1ELA_NHN_Rate": Decimal("90")}
    assert compute_entity(rules, capped).achievement_gap_flag == 0
    assert compute_entity(rules, {"Ind1ELA_HN_Rate": Decimal("1")}).achievement_gap_flag is None


def test_graduation_gap_flag_uses_a_hurdle_in_percentage_points():
    rules = RULES.for_school_year("2024-25")
    hurdle = {"Hurdle_Means_Grad": Decimal("8.649565")}
    wide = {**hurdle, "Grad6YrRateHN": Decimal("0.807339"), "Grad6YrRateNHN": Decimal("0.94")}
    assert compute_entity(rules, wide).graduation_gap_flag == 1
    narrow = {**hurdle, "Grad6YrRateHN": Decimal("0.887"), "Grad6YrRateNHN": Decimal("0.96")}
    assert compute_entity(rules, narrow).graduation_gap_flag == 0
    assert compute_entity(rules, hurdle).graduation_gap_flag == 0
    assert compute_entity(rules, {"Grad6YrRateHN": Decimal("0.5")}).graduation_gap_flag is None


def test_participation_flag_below_95_percent():
    rules = RULES.for_school_year("2024-25")
    assert compute_entity(rules, {"Ind3ELA_All_Rate": Decimal("0.949")}).participation_flag == 1
    assert compute_entity(rules, {"Ind3ELA_All_Rate": Decimal("0.95")}).participation_flag == 0
    assert compute_entity(rules, {}).participation_flag is None


def test_out_of_range_values_are_kept_and_reported():
    rules = RULES.for_school_year("2024-25")
    result = compute_entity(
        rules, {"Ind11FitnessRate": Decimal("0.6"), "Ind11ParticipationRate": Decimal("1.73")}
    )
    assert result.cells["Ind11"].points == Decimal(40)
    assert result.warnings == ("Ind11ParticipationRate 1.73 is outside 0-1",)


def test_every_published_school_year_has_rules_and_none_other():
    assert RULES.school_years == (
        "2014-15", "2015-16", "2016-17", "2017-18", "2018-19",
        "2021-22", "2022-23", "2023-24", "2024-25",
    )  # fmt: skip
    assert len(RULES.for_school_year("2014-15").cells) == 16  # no growth yet
    assert len(RULES.for_school_year("2015-16").cells) == 22
    with pytest.raises(RulesError, match="no NGAS rules for school year '2019-20'"):
        RULES.for_school_year("2019-20")


def test_every_cell_cites_its_source():
    for cell in RULES.all_cells:
        assert cell.sources
        for name in cell.sources:
            assert RULES.for_school_year("2024-25").sources[name]
