"""The year's end through the API: the reviewer scores the rubric, the Commissioner decides whether
funding continues; and the Board's vote the district records before submitting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from alliance.accounts.models import User
from alliance.api import schemas
from alliance.monitoring.models import AnnualReview
from alliance.monitoring.rules import monitoring_rules
from alliance.monitoring.services import annual_review_decide, annual_review_score
from alliance.plans.access import plan_for_user
from alliance.plans.models import BoardApproval
from alliance.plans.workflow import board_approval_record

router = Router(tags=["Annual review"])


class Score(Schema):
    score: int
    comment: str


class ReviewOut(Schema):
    version: int
    stage: str = Field(..., description="scored, or decided once the Commissioner has.")
    scores: dict[str, Score] = Field(..., description="By rubric criterion's code.")
    average: str
    recommendation: str = Field(..., description="continue, continue_with_conditions or "
                                "do_not_continue, from the average (rules data).")  # fmt: skip
    scored_by: str
    scored_at: dt.datetime
    decision: str = Field("", description="The Commissioner's, once made.")
    decision_note: str = ""
    decided_at: dt.datetime | None = None


class ScoresIn(Schema):
    scores: dict[str, Score] = Field(
        ..., description="Every criterion of the rubric by code, each with a score and a comment."
    )
    version: int | None = Field(None, description="The review's version as you read it; leave "
                                "it out the first time.")  # fmt: skip


class DecisionIn(Schema):
    decision: str = Field(..., description="continue, continue_with_conditions or "
                          "do_not_continue.")  # fmt: skip
    note: str = Field("", description="Needed when the decision differs from the recommendation, "
                      "and to state conditions.")  # fmt: skip
    version: int


class BoardApprovalIn(Schema):
    meeting_date: dt.date
    agenda_item: str = ""
    votes_for: int
    votes_against: int = 0
    abstentions: int = 0


class BoardApprovalOut(BoardApprovalIn):
    id: int
    recorded_by: str


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _out(review: AnnualReview) -> dict[str, Any]:
    return {
        "version": review.version, "stage": review.stage, "scores": review.scores,
        "average": f"{review.average:.2f}", "recommendation": review.recommendation,
        "scored_by": str(review.scored_by), "scored_at": review.scored_at,
        "decision": review.decision, "decision_note": review.decision_note,
        "decided_at": review.decided_at,
    }  # fmt: skip


def _review(plan_id: int) -> AnnualReview | None:
    return AnnualReview.objects.select_related("plan", "scored_by").filter(plan_id=plan_id).first()


@router.get(
    "/plans/{code}/{fiscal_year}/annual-review",
    response={200: ReviewOut, 404: schemas.Problem},
    summary="The year's annual review",
    description="404 until the reviewer has scored it. The rubric's criteria are in the "
    "product's rules data (rules/monitoring.yaml).",
)
def annual_review(request: HttpRequest, code: str, fiscal_year: int) -> dict[str, Any]:
    plan = plan_for_user(request.user, code, fiscal_year)
    review = _review(plan.pk)
    if review is None:
        raise Http404("The year is not reviewed yet.")
    return _out(review)


@router.put(
    "/plans/{code}/{fiscal_year}/annual-review/scores",
    response={200: ReviewOut, **schemas.WRITE_PROBLEMS},
    summary="Score the rubric",
    description="Every criterion from the rubric's lowest to highest score, each with a comment; "
    "the average gives the recommendation. Scores can be revised until the Commissioner "
    "decides. For state reviewers.",
)
def annual_review_scores(
    request: HttpRequest, code: str, fiscal_year: int, body: ScoresIn
) -> dict[str, Any]:
    plan = plan_for_user(request.user, code, fiscal_year)
    criteria = [c.code for c in monitoring_rules().criteria]
    scores = {c: (body.scores[c].score, body.scores[c].comment) for c in criteria
              if c in body.scores}  # fmt: skip
    annual_review_score(
        plan=plan, user=_user(request), scores=scores, expected_version=body.version
    )
    review = _review(plan.pk)
    assert review is not None
    return _out(review)


@router.post(
    "/plans/{code}/{fiscal_year}/annual-review/decision",
    response={200: ReviewOut, **schemas.WRITE_PROBLEMS},
    summary="Decide whether funding continues",
    description="The Commissioner confirms the recommendation or decides otherwise, saying why.",
)
def annual_review_decision(
    request: HttpRequest, code: str, fiscal_year: int, body: DecisionIn
) -> dict[str, Any]:
    plan = plan_for_user(request.user, code, fiscal_year)
    review = _review(plan.pk)
    if review is None:
        raise Http404("The year is not reviewed yet.")
    annual_review_decide(
        review=review, user=_user(request), decision=body.decision, note=body.note,
        expected_version=body.version,
    )  # fmt: skip
    decided = _review(plan.pk)
    assert decided is not None
    return _out(decided)


@router.post(
    "/plans/{code}/{fiscal_year}/board-approvals",
    response={201: BoardApprovalOut, **schemas.WRITE_PROBLEMS},
    summary="Record the Board of Education's approval",
    description="The vote on the plan, before it is submitted: the motion carries only with more "
    "votes for than against, at a meeting that has happened. For the district leader.",
    tags=["Workflow"],
)
def board_approval(
    request: HttpRequest, code: str, fiscal_year: int, body: BoardApprovalIn
) -> Status[dict[str, Any]]:
    plan = plan_for_user(request.user, code, fiscal_year)
    approval = board_approval_record(plan=plan, user=_user(request), **body.dict())
    saved = BoardApproval.objects.select_related("recorded_by").get(pk=approval.pk)
    return Status(201, {**body.dict(), "id": saved.pk, "recorded_by": str(saved.recorded_by)})
