"""The Board of Education presentation as a .pptx: the structure of the deck districts present to
their Board's finance committee, filled from the plan, with a native chart for the budget so the
numbers stay editable in PowerPoint. Pure: takes BoardData, returns bytes."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.presentation import Presentation as Deck
from pptx.util import Inches, Pt

from alliance.lib.money import format_dollars
from alliance.lib.numbers import plain
from alliance.reports.data import BoardData

# The default layout's body box (9 x 4.9 inches) holds 8 bullets of up to 150 characters at 16
# points, or more lines at 14; longer text is cut with an ellipsis, never spilled off the slide.
MAX_BULLETS = 8
BODY_PT = 16
SMALL_PT = 14
TITLE_AND_CONTENT, TITLE_ONLY, TITLE_SLIDE = 1, 5, 0


def _cut(text: str, limit: int = 150) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bullets(slide: object, items: Iterable[str], *, size: int = BODY_PT) -> None:
    body = slide.placeholders[1].text_frame  # type: ignore[attr-defined]
    body.word_wrap = True
    for index, item in enumerate(list(items)[:MAX_BULLETS]):
        paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
        paragraph.text = _cut(item)
        paragraph.font.size = Pt(size)


def _slide(deck: Deck, title: str, items: Iterable[str], *, size: int = BODY_PT) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_AND_CONTENT])
    slide.shapes.title.text = title
    _bullets(slide, items, size=size)


def _fte(fte: Decimal) -> str:
    """30.00 -> 30, 10.50 -> 10.5."""
    text = f"{fte:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(amount: Decimal) -> str:
    return format_dollars(amount)


def board_deck(data: BoardData) -> bytes:
    deck = Presentation()  # the default template's 4:3 layouts, whose boxes the text is sized for
    fy = f"FY{data.fiscal_year}"
    short = data.plan.district.short_name

    title = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    title.shapes.title.text = f"{short} {fy} Alliance District Plan"
    meeting = f"{data.board_meeting:%B %-d, %Y}" if data.board_meeting else "Meeting date to be set"
    presenters = "; ".join(data.presenters) or "The district's Alliance team"
    title.placeholders[
        1
    ].text = f"Board of Education Finance Committee\n{meeting}\nPresented by {presenters}"

    _slide(deck, "Overview", [
        f"Purpose: approve {short}'s {fy} Alliance District plan and budget of "
        f"{_money(data.allocation)}",
        "Process: the Board approves the plan; the district submits it to CSDE; the Commissioner "
        "approves it; the funds are released",
        "Payoff: targeted strategies that raise student achievement in our schools",
    ])  # fmt: skip
    what = [
        f"The {data.alliance_count} lowest-performing districts by the Accountability Index are "
        f"Alliance Districts ({data.cohort_span})",
        "A designation lasts five years (C.G.S. 10-262u)",
        "Alliance funds are the part of the ECS grant held back until the state approves the plan",
    ]
    if data.index is not None:
        what.append(f"{short}'s Accountability Index, {data.index_year}: {data.index:.1f}")
    _slide(deck, "What is an Alliance District?", what)
    _slide(deck, "The state's requirements", [
        "A plan every year: strategies, goals and a budget for the Alliance funds",
        "The Board of Education's approval, then the Commissioner's",
        "Funds released with the ECS installments: 25% October, 25% January, the balance April",
        "Three monitoring meetings a year and an annual review that decides continued funding",
    ])  # fmt: skip
    _slide(deck, "Plan strategies", [f"{area}: {title}" for area, title, _ in data.strategies])
    _slide(deck, "Additional accountability and support",
           [f"{name}: {day:%B %-d, %Y}" for name, day in data.meetings])  # fmt: skip

    budget = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    budget.shapes.title.text = f"{fy} budget allocations"
    chart_data = CategoryChartData(number_format='"$"#,##0')  # type: ignore[no-untyped-call]
    chart_data.categories = [name for name, _ in data.by_area]
    chart_data.add_series("Budget", [amount for _, amount in data.by_area])  # type: ignore[no-untyped-call]
    frame = budget.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.3), Inches(1.5), Inches(5.9), Inches(5.6), chart_data
    )
    frame.chart.has_legend = False
    frame.chart.plots[0].has_data_labels = True
    frame.chart.plots[0].data_labels.number_format = '"$"#,##0'
    frame.chart.plots[0].data_labels.number_format_is_linked = False
    box = budget.shapes.add_textbox(Inches(6.3), Inches(1.5), Inches(3.5), Inches(5.6))
    text = box.text_frame
    text.word_wrap = True
    for index, (name, amount) in enumerate([*data.by_area, ("Total", sum(
            (a for _, a in data.by_area), Decimal(0)))]):  # fmt: skip
        paragraph = text.paragraphs[0] if index == 0 else text.add_paragraph()
        paragraph.text = f"{name}: {_money(amount)}"
        paragraph.font.size = Pt(SMALL_PT)
        paragraph.font.bold = name == "Total"

    for category, groups in data.staffing:
        _slide(deck, f"Examples: {category}", [
            f"{g.title}: {g.count} position{'s' if g.count != 1 else ''}, {_fte(g.fte)} FTE, "
            f"{_money(g.cost)}" for g in groups
        ], size=SMALL_PT)  # fmt: skip
    for area, rows in data.other_lines:
        _slide(deck, f"Examples: {area}",
               [f"{description}: {_money(amount)}" for description, amount in rows],
               size=SMALL_PT)  # fmt: skip
    if any(p.latest is not None for p in data.progress):
        _slide(deck, "Progress to date", [
            f"{p.goal}: from {plain(p.baseline) if p.baseline is not None else '—'} toward "
            f"{plain(p.target)} {p.unit}; latest {plain(p.latest) if p.latest is not None else '—'}"
            f" ({p.status})" for p in data.progress
        ], size=SMALL_PT)  # fmt: skip
    _slide(deck, "Next steps", [
        f"Board of Education vote: {meeting}",
        f"Submission to CSDE; the plan is now: {data.status_name.lower()}",
        "The Commissioner's approval and the release of funds",
        f"Monitoring meetings: {', '.join(f'{d:%B %-d}' for _, d in data.meetings)}",
    ])  # fmt: skip
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
