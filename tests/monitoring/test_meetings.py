"""The year's three monitoring meetings: scheduled on approval, an agenda both sides build, action
items carried until closed, overdue ones flagged, and the record kept by the reviewer and leader."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.audit.models import AuditEntry
from alliance.demo.plan import demo_plan_create
from alliance.monitoring.models import Meeting
from alliance.monitoring.selectors import meeting_view, meetings_overview
from alliance.monitoring.services import (
    action_add,
    action_close,
    agenda_add,
    meeting_record,
    meetings_schedule,
)
from alliance.plans.services import Conflict, PlanError
from tests.plans.helpers import TO_FUNDS_RELEASED, board_approve, walk

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"


@pytest.fixture
def meetings(funded) -> dict[str, Meeting]:
    return {m.code: m for m in meetings_schedule(funded)}


def test_three_meetings_on_their_default_dates_once_approved(demo_users):
    plan = demo_plan_create()
    assert meetings_schedule(plan) == []  # a draft has none
    board_approve(plan, demo_users)
    plan = walk(plan, demo_users, TO_FUNDS_RELEASED)
    scheduled = meetings_schedule(plan)
    assert [(m.code, m.day) for m in scheduled] == [
        ("fall", dt.date(2024, 11, 15)),
        ("winter", dt.date(2025, 2, 15)),
        ("spring", dt.date(2025, 5, 15)),
    ]
    assert meetings_schedule(plan) == scheduled  # idempotent


def test_action_items_carry_forward_until_closed(meetings, demo_users):
    fall, winter, spring = meetings["fall"], meetings["winter"], meetings["spring"]
    reviewer, editor = demo_users["state.reviewer"], demo_users["district.editor"]
    hire = action_add(
        meeting=fall, user=reviewer, title="Fill the two vacant interventionist seats",
        owner="HR director", due=dt.date(2025, 1, 15),
    )  # fmt: skip
    assert hire.side == "state"
    assert [i.title for i in meeting_view(winter).carried] == [hire.title]
    assert [i.title for i in meeting_view(spring).carried] == [hire.title]
    action_close(
        item=hire, user=editor, status="done", note="Both hired in January.", meeting=winter,
        expected_version=hire.version,
    )  # fmt: skip
    # Shown as closed where it was closed; gone from later meetings.
    assert [(i.title, i.status) for i in meeting_view(winter).carried] == [(hire.title, "done")]
    assert meeting_view(spring).carried == []
    with pytest.raises(Conflict):
        action_close(
            item=hire, user=reviewer, status="open", note="", meeting=spring,
            expected_version=hire.version,
        )  # fmt: skip
    history = AuditEntry.objects.filter(object_type="actionitem").order_by("id")
    assert [e.action for e in history] == ["create", "update"]
    assert history[1].changes["status"] == ["open", "done"]


def test_dropping_an_action_item_says_why(meetings, demo_users):
    item = action_add(
        meeting=meetings["fall"], user=demo_users["district.leader"], title="Pilot tutoring app",
        owner="Curriculum", due=dt.date(2024, 12, 1),
    )  # fmt: skip
    with pytest.raises(PlanError, match="Say why it is dropped"):
        action_close(
            item=item, user=demo_users["district.leader"], status="dropped", note=" ",
            meeting=meetings["winter"], expected_version=item.version,
        )  # fmt: skip


def test_overdue_action_items_are_flagged(meetings, demo_users, client_for):
    action_add(
        meeting=meetings["fall"], user=demo_users["state.reviewer"], title="Send PD calendar",
        owner="Coaching lead", due=dt.date(2024, 12, 1),
    )  # fmt: skip
    with time_machine.travel(dt.datetime(2025, 1, 10, 15, tzinfo=dt.UTC), tick=False):
        summaries = meetings_overview(list(meetings.values()), dt.date(2025, 1, 10))
        page = client_for("district.editor").get(PLAN + "meetings/").content.decode()
    assert [(s.meeting.code, s.open_count, s.overdue_count) for s in summaries] == [
        ("fall", 1, 1), ("winter", 1, 1), ("spring", 1, 1),
    ]  # fmt: skip
    assert "1 overdue" in page and "Overdue" in page


def test_both_sides_build_the_agenda_and_only_they(meetings, demo_users, funded):
    strategy = funded.strategies.order_by("position")[0]
    item = agenda_add(
        meeting=meetings["winter"], user=demo_users["district.editor"],
        title="Mid-year benchmark results", strategy=strategy,
    )  # fmt: skip
    assert item.side == "district"
    agenda_add(meeting=meetings["winter"], user=demo_users["state.reviewer"], title="Spend-down")
    with pytest.raises(PermissionDenied):
        agenda_add(meeting=meetings["winter"], user=demo_users["board.viewer"], title="Hello")
    assert [a.title for a in meeting_view(meetings["winter"]).agenda] == [
        "Mid-year benchmark results", "Spend-down",
    ]  # fmt: skip


def test_the_record_is_kept_by_the_reviewer_and_the_leader(meetings, demo_users):
    winter = meetings["winter"]
    with pytest.raises(PermissionDenied):
        meeting_record(
            meeting=winter, user=demo_users["district.editor"], expected_version=1,
            changes={"notes": "x"},
        )  # fmt: skip
    saved = meeting_record(
        meeting=winter, user=demo_users["state.reviewer"], expected_version=1,
        changes={"held": True, "day": dt.date(2025, 2, 20), "attendees": "R. Chen, L. Morgan",
                 "notes": "Benchmarks up in grades 1-2.", "decisions": "Move $10,000 to PD."},
    )  # fmt: skip
    assert saved.day == dt.date(2025, 2, 20) and saved.version == 2
    with pytest.raises(Conflict):
        meeting_record(
            meeting=winter, user=demo_users["district.leader"], expected_version=1,
            changes={"notes": "Stale."},
        )  # fmt: skip


def test_the_meeting_pages_over_http(meetings, client_for):
    reviewer = client_for("state.reviewer")
    url = PLAN + "meetings/winter/"
    response = reviewer.post(
        url + "actions/",
        {"action-title": "Revise the PD budget", "action-owner": "Grants manager",
         "action-due": "2025-03-15"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client_for("district.editor").get(url).content.decode()
    assert "Revise the PD budget" in page and "Grants manager (CSDE)" in page
    assert "Save the record" not in page  # the editor does not keep the record
    empty = reviewer.post(url + "actions/", {"action-title": "", "action-owner": "x",
                                             "action-due": "2025-03-15"})  # fmt: skip
    assert empty.status_code == 422
    assert (
        client_for("board.viewer").post(url + "agenda/", {"agenda-title": "Hi"}).status_code == 403
    )
    assert client_for("hartford.editor").get(url).status_code == 404
    assert client_for("district.editor").get(PLAN + "meetings/summer/").status_code == 404


def test_the_meeting_page_query_count_does_not_grow(meetings, demo_users, client_for):
    client = client_for("district.editor")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PLAN + "meetings/spring/").status_code == 200
        return len(captured.captured_queries)

    def add(n: int) -> None:
        for i in range(n):
            action_add(meeting=meetings["fall"], user=demo_users["state.reviewer"],
                       title=f"Item {i}", owner="x", due=dt.date(2025, 1, 1))  # fmt: skip
            agenda_add(meeting=meetings["spring"], user=demo_users["district.editor"],
                       title=f"Topic {i}")  # fmt: skip

    add(1)
    before = count()
    add(10)
    assert count() == before


@pytest.mark.parametrize(
    "path",
    ["meetings/", "meetings/winter/", "progress/", "spending/", "spending/unmatched/",
     "spending/import/", "annual-review/"],
)  # fmt: skip
def test_every_monitoring_page_has_a_plain_title(meetings, client_for, path):
    import re

    page = client_for("district.leader").get(PLAN + path).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "<" not in title.group(1) and "Bristol FY2025" in title.group(1)
