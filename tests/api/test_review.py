"""The year's end and the Board's vote through the API."""

from __future__ import annotations

import pytest

from alliance.demo.plan import demo_plan_create
from tests.api.helpers import send

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/plans/0170011/2025"
CRITERIA = ("implementation", "goals", "spending", "action_items")


def test_the_reviewer_scores_and_the_commissioner_decides(api, funded):
    reviewer, commissioner = api("state.reviewer"), api("commissioner")
    assert reviewer.get(f"{PLAN}/annual-review").status_code == 404
    partial = {"scores": {"implementation": {"score": 3, "comment": "Mostly in place"}}}
    missing = send(reviewer, "put", f"{PLAN}/annual-review/scores", partial)
    assert missing.status_code == 422 and set(missing.json()["errors"]) == set(CRITERIA[1:])
    scores = {c: {"score": 3, "comment": f"{c} on course"} for c in CRITERIA}
    scored = send(reviewer, "put", f"{PLAN}/annual-review/scores", {"scores": scores})
    assert scored.status_code == 200, scored.content
    review = scored.json()
    assert (review["average"], review["recommendation"], review["stage"]) == (
        "3.00",
        "continue",
        "scored",
    )
    assert send(api("district.leader"), "put", f"{PLAN}/annual-review/scores",
                {"scores": scores, "version": review["version"]}).status_code == 403  # fmt: skip
    differs = send(commissioner, "post", f"{PLAN}/annual-review/decision",
                   {"decision": "do_not_continue", "version": review["version"]})  # fmt: skip
    assert differs.status_code == 422 and "Say why" in differs.json()["detail"]
    decided = send(commissioner, "post", f"{PLAN}/annual-review/decision",
                   {"decision": "continue", "version": review["version"]})  # fmt: skip
    assert decided.status_code == 200 and decided.json()["decision"] == "continue"
    final = send(reviewer, "put", f"{PLAN}/annual-review/scores",
                 {"scores": scores, "version": decided.json()["version"]})  # fmt: skip
    assert final.status_code == 409 and "final" in final.json()["detail"]


def test_the_leader_records_the_boards_vote_and_submits(api, demo_users):
    demo_plan_create()
    leader = api("district.leader")
    vote = {"meeting_date": "2024-06-11", "agenda_item": "7.B", "votes_for": 4, "votes_against": 5}
    lost = send(leader, "post", f"{PLAN}/board-approvals", vote)
    assert lost.status_code == 422 and "votes_for" in lost.json()["errors"]
    assert send(api("district.editor"), "post", f"{PLAN}/board-approvals",
                {**vote, "votes_for": 8}).status_code == 403  # fmt: skip
    carried = send(leader, "post", f"{PLAN}/board-approvals", {**vote, "votes_for": 8})
    assert carried.status_code == 201 and carried.json()["recorded_by"] == "Lee Morgan"
    submitted = send(leader, "post", f"{PLAN}/actions", {"action": "submit"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
