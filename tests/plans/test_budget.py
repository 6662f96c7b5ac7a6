"""The budget arithmetic: positions make salary and benefit lines; every breakdown adds up."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from alliance.plans.budget import LineInput, PositionInput, budget
from alliance.plans.catalog import catalog

CATALOG = catalog()


POSITION = PositionInput(
    key="p", title="Interventionist", staff_category="direct_service", strategy="s1", school=None,
    fte=Decimal("1"), salary=Decimal("82000"), grant_share=Decimal("1"), benefits_rate=Decimal("0.32"),
)  # fmt: skip
LINE = LineInput(
    key="l",
    funding_area="supplies",
    object_code="611",
    strategy="s1",
    school=None,
    amount=Decimal("100"),
)


def position(**changes):
    return replace(POSITION, **changes)


def line(**changes):
    return replace(LINE, **changes)


def run(positions=(), lines=(), allocation=Decimal("100000")):
    return budget(
        allocation=allocation, positions=positions, lines=lines, catalog=CATALOG,
        strategy_names={"s1": "Interventions", "s2": "Coaching"}, school_names={"0170111": "A School"},
    )  # fmt: skip


def test_a_position_makes_a_salary_and_a_benefits_amount_to_the_cent():
    p = position(fte=Decimal("0.5"), salary=Decimal("40001.01"), grant_share=Decimal("0.75"))
    assert p.salary_cost == Decimal("15000.38")  # 40001.01 x 0.5 x 0.75 = 15000.37875
    assert p.benefits_cost == Decimal("4800.12")  # 15000.38 x 0.32 = 4800.1216
    result = run([p])
    areas = {r.key: r.amount for r in result.by_funding_area}
    assert areas["direct_service"] == Decimal("15000.38")
    assert areas["benefits"] == Decimal("4800.12")
    codes = {r.key: r.amount for r in result.by_object_code}
    assert codes == {"100": Decimal("15000.38"), "200": Decimal("4800.12")}


def test_sub_codes_roll_up_to_their_family_and_areas_keep_the_board_deck_order():
    result = run(
        [position()],
        [line(object_code="611"), line(object_code="322", funding_area="professional_development")],
    )
    assert [r.key for r in result.by_object_code] == ["100", "200", "300", "600"]
    assert [r.key for r in result.by_funding_area][:4] == [
        "direct_service",
        "administrative",
        "operational",
        "benefits",
    ]


def test_the_difference_to_the_allocation_is_always_there():
    result = run([position()], [line(amount=Decimal("5.5"))], allocation=Decimal("108245.50"))
    assert result.total == Decimal("82000") + Decimal("26240") + Decimal("5.50")
    assert result.difference == Decimal("0.00") and result.balanced
    over = run([position()], allocation=Decimal("100000"))
    assert over.difference == Decimal("-8240.00") and not over.balanced


def test_district_wide_spending_is_named_so():
    result = run([position(school="0170111")], [line()])
    assert [(r.label, r.amount) for r in result.by_school] == [
        ("District-wide", Decimal("100.00")),
        ("A School", Decimal("108240.00")),
    ]


money = st.decimals(min_value=0, max_value=200000, places=2)


@given(
    salaries=st.lists(
        st.tuples(money, st.decimals(min_value="0.01", max_value=1, places=2)), max_size=8
    ),
    amounts=st.lists(money, max_size=8),
)
def test_every_breakdown_sums_to_the_total(salaries, amounts):
    positions = [
        position(key=str(i), salary=s, fte=f, strategy="s2" if i % 2 else "s1")
        for i, (s, f) in enumerate(salaries)
    ]
    lines = [line(key=str(i), amount=a) for i, a in enumerate(amounts)]
    result = run(positions, lines)
    for rows in (
        result.by_funding_area,
        result.by_strategy,
        result.by_school,
        result.by_object_code,
    ):
        assert sum((r.amount for r in rows), Decimal(0)) == result.total
    assert all(r.amount == r.amount.quantize(Decimal("0.01")) for r in result.by_funding_area)


def test_installments_pay_the_whole_allocation_to_the_cent():
    from alliance.plans.budget import payment_schedule
    from alliance.plans.catalog import installments

    rows = payment_schedule(Decimal("100.03"), 2025, installments())
    assert [a for _, _, a in rows] == [Decimal("25.01"), Decimal("25.01"), Decimal("50.01")]
    assert [m.isoformat() for _, m, _ in rows] == ["2024-10-01", "2025-01-01", "2025-04-01"]
