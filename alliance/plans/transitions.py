"""The plan's workflow as a table: which action moves a plan from which states to which, and who
may take it. Pure; the services in workflow.py apply it."""

from __future__ import annotations

from dataclasses import dataclass

from alliance.accounts.roles import Role

DRAFT = "draft"
SUBMITTED = "submitted"
UNDER_REVIEW = "under_review"
RETURNED = "returned"
RECOMMENDED = "recommended"
APPROVED = "approved"
APPROVED_WITH_CONDITIONS = "approved_with_conditions"
FUNDS_RELEASED = "funds_released"
AMENDING = "amending"
AMENDMENT_SUBMITTED = "amendment_submitted"
RESUME = "resume"  # a target: the status the plan had when its amendment was opened

STATUS_NAMES = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    UNDER_REVIEW: "Under review",
    RETURNED: "Returned for revision",
    RECOMMENDED: "Recommended for approval",
    APPROVED: "Approved",
    APPROVED_WITH_CONDITIONS: "Approved with conditions",
    FUNDS_RELEASED: "Funds released",
    AMENDING: "Amendment in progress",
    AMENDMENT_SUBMITTED: "Amendment submitted",
}
EDITABLE = frozenset({DRAFT, RETURNED, AMENDING})
APPROVED_STATES = frozenset({APPROVED, APPROVED_WITH_CONDITIONS, FUNDS_RELEASED})
WAITS_FOR = {
    DRAFT: "the district: Board approval and submission",
    SUBMITTED: "CSDE: a reviewer to start the review",
    UNDER_REVIEW: "CSDE: the reviewer's recommendation or return",
    RETURNED: "the district: revisions and resubmission",
    RECOMMENDED: "the Commissioner's approval",
    APPROVED: "CSDE fiscal staff: release of funds",
    APPROVED_WITH_CONDITIONS: "CSDE fiscal staff: release of funds",
    FUNDS_RELEASED: "nothing: the plan is approved and funded",
    AMENDING: "the district: the amendment's changes and its submission",
    AMENDMENT_SUBMITTED: (
        "CSDE: approval of the amendment (state fiscal staff for a budget-only change, "
        "otherwise the Commissioner)"
    ),
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    district_role: bool  # the role must be held in the plan's own district
    note_required: bool = False
    note_label: str = "Note"
    requires: str | None = None  # a fact about the plan the action needs, e.g. "budget_only"


TRANSITIONS = (
    Transition("submit", "Submit to CSDE", frozenset({DRAFT, RETURNED}), SUBMITTED,
               frozenset({Role.DISTRICT_LEADER}), True),
    Transition("withdraw", "Withdraw the submission", frozenset({SUBMITTED}), DRAFT,
               frozenset({Role.DISTRICT_LEADER}), True),
    Transition("start_review", "Start the review", frozenset({SUBMITTED}), UNDER_REVIEW,
               frozenset({Role.STATE_REVIEWER}), False),
    Transition("return", "Return for revision", frozenset({UNDER_REVIEW}), RETURNED,
               frozenset({Role.STATE_REVIEWER}), False, note_required=True,
               note_label="What the district should revise"),
    Transition("recommend", "Recommend approval", frozenset({UNDER_REVIEW}), RECOMMENDED,
               frozenset({Role.STATE_REVIEWER}), False),
    Transition("approve", "Approve", frozenset({RECOMMENDED}), APPROVED,
               frozenset({Role.COMMISSIONER}), False),
    Transition("approve_with_conditions", "Approve with conditions", frozenset({RECOMMENDED}),
               APPROVED_WITH_CONDITIONS, frozenset({Role.COMMISSIONER}), False, note_required=True,
               note_label="The conditions"),
    Transition("release_funds", "Release the funds",
               frozenset({APPROVED, APPROVED_WITH_CONDITIONS}), FUNDS_RELEASED,
               frozenset({Role.STATE_FISCAL}), False),
    Transition("open_amendment", "Open an amendment", APPROVED_STATES, AMENDING,
               frozenset({Role.DISTRICT_LEADER, Role.DISTRICT_EDITOR}), True, note_required=True,
               note_label="Reason for the amendment"),
    Transition("submit_amendment", "Submit the amendment", frozenset({AMENDING}),
               AMENDMENT_SUBMITTED, frozenset({Role.DISTRICT_LEADER}), True),
    Transition("withdraw_amendment", "Withdraw the amendment", frozenset({AMENDING}), RESUME,
               frozenset({Role.DISTRICT_LEADER}), True),
    Transition("return_amendment", "Return the amendment", frozenset({AMENDMENT_SUBMITTED}),
               AMENDING, frozenset({Role.STATE_REVIEWER, Role.STATE_FISCAL, Role.COMMISSIONER}),
               False, note_required=True),
    Transition("approve_amendment", "Approve the amendment", frozenset({AMENDMENT_SUBMITTED}),
               RESUME, frozenset({Role.COMMISSIONER}), False),
    Transition("approve_budget_amendment", "Approve the budget amendment",
               frozenset({AMENDMENT_SUBMITTED}), RESUME, frozenset({Role.STATE_FISCAL}), False,
               requires="budget_only"),
)  # fmt: skip
BY_ACTION = {t.action: t for t in TRANSITIONS}


def allowed(
    transition: Transition, *, state_roles: frozenset[Role], district_roles: frozenset[Role]
) -> bool:
    held = district_roles if transition.district_role else state_roles
    return bool(held & transition.roles)


def available(
    status: str,
    *,
    state_roles: frozenset[Role],
    district_roles: frozenset[Role],
    facts: frozenset[str] = frozenset(),
) -> list[Transition]:
    """The actions this person may take on a plan in this status (and with these facts)."""
    return [
        t
        for t in TRANSITIONS
        if status in t.sources
        and (t.requires is None or t.requires in facts)
        and allowed(t, state_roles=state_roles, district_roles=district_roles)
    ]
