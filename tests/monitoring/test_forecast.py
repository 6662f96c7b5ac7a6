"""The forecast to June 30, worked by hand to the cent (FY2025: July 1, 2024 to June 30, 2025,
365 days; by December 31, 2024, 184 days have passed and 181 remain)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.lib.fiscal import FiscalYear
from alliance.monitoring.forecast import OTHER, PERSONNEL, Item, Spend, item_forecast, spend_down
from alliance.monitoring.rules import monitoring_rules

FY2025 = FiscalYear(2025)
DEC_31 = dt.date(2024, 12, 31)
D = Decimal


def coach(**kw) -> Item:
    fields = dict(key="p1", label="Coach", kind=PERSONNEL, funding_area="direct_service",
                  strategy="s1", budget=D("73000.00"), annual_cost=D("73000.00"))  # fmt: skip
    return Item(**{**fields, **kw})


def test_a_filled_position_is_forecast_at_its_daily_cost_to_june_30():
    # 184 days paid at $200 a day = $36,800; 181 days to come = $36,200.
    assert item_forecast(coach(), D("36800.00"), year=FY2025, as_of=DEC_31) == D("73000.00")
    # Paid a little less so far (a leave without pay): the rest is still the full daily cost.
    assert item_forecast(coach(), D("35000.00"), year=FY2025, as_of=DEC_31) == D("71200.00")


def test_a_vacancy_filled_mid_year_is_paid_from_its_start_date():
    vacant = coach(starts=dt.date(2025, 2, 1))
    # February 1 to June 30, 2025: 28 + 31 + 30 + 31 + 30 = 150 days at $200 = $30,000.
    assert item_forecast(vacant, D("0"), year=FY2025, as_of=DEC_31) == D("30000.00")
    # As of March 31 with February and March paid ($11,800 for 59 days): 91 days to come.
    assert item_forecast(vacant, D("11800.00"), year=FY2025, as_of=dt.date(2025, 3, 31)) == D(
        "30000.00"
    )


def test_an_odd_annual_cost_rounds_to_the_cent():
    # $50,000 a year over 365 days, 181 days to come: 24,794.520547... -> $24,794.52.
    item = coach(annual_cost=D("50000.00"), budget=D("50000.00"))
    assert item_forecast(item, D("25205.48"), year=FY2025, as_of=DEC_31) == D("50000.00")
    assert item_forecast(item, D("0"), year=FY2025, as_of=DEC_31) == D("24794.52")


def laptops(budget: str) -> Item:
    return Item("l1", "Laptops", OTHER, "technology", "s1", D(budget))


def test_a_one_off_purchase_runs_at_its_rate_but_never_past_what_is_left():
    # $30,000 spent once in September; by December 31 the run rate is 30,000 / 184 a day, and 181
    # days remain: 30,000 x 181 / 184 = 29,510.869... -> $29,510.87 more.
    assert item_forecast(laptops("100000.00"), D("30000"), year=FY2025, as_of=DEC_31) == D(
        "59510.87"
    )
    # A $50,000 line has only $20,000 left to spend, so that is all the forecast adds.
    assert item_forecast(laptops("50000.00"), D("30000"), year=FY2025, as_of=DEC_31) == D(
        "50000.00"
    )
    # Spent whole in one purchase: nothing more.
    assert item_forecast(laptops("30000.00"), D("30000"), year=FY2025, as_of=DEC_31) == D(
        "30000.00"
    )


def test_before_the_year_begins_the_plan_stands():
    june = dt.date(2024, 6, 30)
    assert item_forecast(laptops("1000.00"), D("0"), year=FY2025, as_of=june) == D("1000.00")
    assert item_forecast(coach(), D("0"), year=FY2025, as_of=june) == D("73000.00")


def test_spend_down_by_item_area_strategy_and_total_with_risk():
    items = [
        coach(),
        coach(key="p2", label="Coach 2", starts=dt.date(2025, 2, 1)),
        Item("l1", "Laptops", OTHER, "technology", "s2", D("100000.00")),
    ]
    spends = [
        Spend("p1", dt.date(2024, 7, 31), D("6200.00")),
        Spend("p1", dt.date(2024, 12, 31), D("30600.00")),
        Spend("l1", dt.date(2024, 9, 15), D("30000.00")),
        Spend("l1", dt.date(2025, 1, 15), D("5000.00")),  # after the as-of date: left out
    ]
    result = spend_down(
        items, spends, year=FY2025, as_of=DEC_31, rules=monitoring_rules(),
        strategy_names={"s1": "Coaching", "s2": "Technology"},
    )  # fmt: skip
    assert result.year_share == D(184) / D(365)
    by_key = {r.key: r for r in result.items}
    assert (by_key["p1"].spent, by_key["p1"].forecast, by_key["p1"].risk.code) == (
        D("36800.00"), D("73000.00"), "low",
    )  # fmt: skip
    assert (by_key["p2"].forecast, by_key["p2"].unspent, by_key["p2"].risk.code) == (
        D("30000.00"), D("43000.00"), "high",
    )  # fmt: skip
    assert (by_key["l1"].spent, by_key["l1"].forecast) == (D("30000.00"), D("59510.87"))
    strategies = {r.label: (r.budget, r.spent, r.forecast) for r in result.by_strategy}
    assert strategies == {
        "Coaching": (D("146000.00"), D("36800.00"), D("103000.00")),
        "Technology": (D("100000.00"), D("30000.00"), D("59510.87")),
    }
    total = result.total
    assert (total.budget, total.spent, total.forecast) == (
        D("246000.00"), D("66800.00"), D("162510.87"),
    )  # fmt: skip
    assert total.unspent == D("83489.13") and total.risk.code == "high"


@pytest.mark.parametrize(
    ("share", "level"),
    [("0.20", "high"), ("0.15", "high"), ("0.10", "medium"), ("0", "low"), ("-0.05", "over")],
)
def test_risk_levels_come_from_the_rules(share, level):
    assert monitoring_rules().risk_for(D(share)).code == level


@given(
    budget=st.decimals(min_value=0, max_value=10**7, places=2),
    spent=st.decimals(min_value=0, max_value=10**7, places=2),
    day=st.integers(min_value=0, max_value=400),
)
def test_other_lines_never_forecast_past_their_budget_unless_already_spent(budget, spent, day):
    as_of = FY2025.start + dt.timedelta(days=day)
    forecast = item_forecast(laptops(str(budget)), spent, year=FY2025, as_of=as_of)
    assert forecast >= spent
    assert forecast <= max(budget, spent)
