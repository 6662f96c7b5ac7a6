"""The monitoring meetings through the API: the record, the agenda both sides build, and action
items carried to every later meeting until closed."""

from __future__ import annotations

import pytest

from alliance.plans.models import Strategy
from tests.api.helpers import send

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/plans/0170011/2025"


def test_an_action_item_raised_in_winter_comes_to_spring(api, funded):
    reviewer = api("state.reviewer")
    meetings = reviewer.get(f"{PLAN}/meetings").json()
    assert [m["meeting"] for m in meetings] == ["fall", "winter", "spring"]
    raised = send(reviewer, "post", f"{PLAN}/meetings/winter/action-items",
                  {"title": "Send the tutoring roster", "owner": "Lee Morgan", "due": "2025-02-28"})  # fmt: skip
    assert raised.status_code == 201, raised.content
    item = raised.json()
    assert (item["side"], item["status"], item["raised_at"]) == ("state", "open", "winter")
    spring = next(m for m in reviewer.get(f"{PLAN}/meetings").json() if m["meeting"] == "spring")
    assert [i["title"] for i in spring["action_items"]] == ["Send the tutoring roster"]

    leader = api("district.leader")
    url = f"{PLAN}/action-items/{item['id']}"
    unsaid = send(leader, "patch", f"{url}?version={item['version']}", {"status": "dropped"})
    assert unsaid.status_code == 422 and "Say why" in unsaid.json()["detail"]
    done = send(leader, "patch", f"{url}?version={item['version']}",
                {"status": "done", "meeting": "spring"})  # fmt: skip
    assert done.status_code == 200 and done.json()["closed_at"] == "spring"
    stale = send(reviewer, "patch", f"{url}?version={item['version']}", {"status": "open"})
    assert stale.status_code == 409 and stale.json()["current_version"] == item["version"] + 1


def test_both_sides_build_the_agenda(api, funded):
    strategy = Strategy.objects.filter(plan=funded).first()
    assert strategy is not None
    editor = api("district.editor")
    added = send(editor, "post", f"{PLAN}/meetings/fall/agenda",
                 {"title": "Coach caseloads", "strategy": strategy.pk})  # fmt: skip
    assert added.status_code == 201
    assert (added.json()["side"], added.json()["added_by"]) == ("district", "Dana Reyes")
    elsewhere = send(editor, "post", f"{PLAN}/meetings/fall/agenda",
                     {"title": "x", "strategy": 10**9})  # fmt: skip
    assert elsewhere.status_code == 422
    assert send(api("board.viewer"), "post", f"{PLAN}/meetings/fall/agenda",
                {"title": "x"}).status_code == 403  # fmt: skip
    fall = api("state.fiscal").get(f"{PLAN}/meetings").json()[0]
    assert [a["title"] for a in fall["agenda"]] == ["Coach caseloads"]


def test_the_record_is_kept_by_the_reviewer_and_the_leader(api, funded):
    reviewer, editor = api("state.reviewer"), api("district.editor")
    winter = reviewer.get(f"{PLAN}/meetings").json()[1]
    url = f"{PLAN}/meetings/winter?version={winter['version']}"
    kept = send(
        reviewer, "patch", url, {"held": True, "day": "2025-01-22", "notes": "Spend-down reviewed."}
    )
    assert kept.status_code == 200
    assert (kept.json()["held"], kept.json()["day"]) == (True, "2025-01-22")
    assert send(editor, "patch", url, {"notes": "x"}).status_code == 403
    stale = send(api("district.leader"), "patch", url, {"notes": "Ours"})
    assert stale.status_code == 409
    assert api("hartford.leader").get(f"{PLAN}/meetings").status_code == 404
    assert (
        send(reviewer, "patch", f"{PLAN}/meetings/summer?version=1", {"held": True}).status_code
        == 404
    )
