"""Moving a plan through its workflow: each action one guarded service.

The plan row is locked, its status and the person's roles are checked, the change is saved with an
audit entry (and a frozen version on submission and approval), and the people concerned are told by
email once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q

from alliance.accounts.access import access_for
from alliance.accounts.models import Membership, User
from alliance.accounts.roles import Role
from alliance.audit.services import audit_record, snapshot
from alliance.lib import clock
from alliance.plans.budget import payment_schedule
from alliance.plans.catalog import installments
from alliance.plans.export import plan_document
from alliance.plans.models import (
    AMENDMENT_UNDECIDED,
    Amendment,
    AmendmentStatus,
    BoardApproval,
    Payment,
    Plan,
    PlanVersion,
)
from alliance.plans.redline import Redline, redline
from alliance.plans.restore import plan_restore
from alliance.plans.selectors import plan_contents
from alliance.plans.services import PlanError
from alliance.plans.transitions import (
    APPROVED_STATES,
    BY_ACTION,
    EDITABLE,
    RESUME,
    STATUS_NAMES,
    Transition,
    allowed,
    available,
)
from alliance.review.selectors import review_problems

FREEZE_ON = frozenset(
    {
        "submit",
        "approve",
        "approve_with_conditions",
        "approve_amendment",
        "approve_budget_amendment",
    }
)
AMENDMENT_APPROVALS = frozenset({"approve_amendment", "approve_budget_amendment"})


def _names(statuses: frozenset[str]) -> str:
    return " or ".join(sorted(STATUS_NAMES[s].lower() for s in statuses))


def open_amendment(plan: Plan) -> Amendment | None:
    """The amendment being worked on or waiting for approval, if any."""
    return plan.amendments.filter(status__in=AMENDMENT_UNDECIDED).order_by("-number").first()


def actions_for(plan: Plan, user: User | object, amendment: Amendment | None) -> list[Transition]:
    """The actions this person may take on the plan now (given its undecided amendment)."""
    access = access_for(user)
    facts = frozenset({"budget_only"} if amendment and amendment.budget_only else ())
    return available(
        plan.status, state_roles=access.state_roles,
        district_roles=access.roles_in(plan.district.code), facts=facts,
    )  # fmt: skip


def amendment_redline(amendment: Amendment) -> Redline:
    """An approved amendment against its result; an open one against the plan as it is now."""
    after = (
        amendment.result_version.document
        if amendment.result_version is not None
        else plan_document(plan_contents(amendment.plan))
    )
    return redline(amendment.base_version.document, after)


def submission_problems(plan: Plan, *, board: bool = True) -> list[str]:
    """What stops the plan being submitted, in words a district leader can act on."""
    contents = plan_contents(plan)
    problems = []
    if not contents.strategies:
        problems.append("The plan has no strategy.")
    for strategy in contents.strategies:
        if not strategy.goals.all():
            problems.append(f"The strategy “{strategy.title}” has no goal.")
    if not contents.budget.balanced:
        problems.append(
            f"The budget ({contents.budget.total:,.2f}) must equal the allocation "
            f"({contents.budget.allocation:,.2f}) to the cent."
        )
    if board and not plan.board_approvals.exists():
        problems.append("The Board of Education's approval is not recorded.")
    return problems


def _preconditions(plan: Plan, action: str, amendment: Amendment | None) -> list[str]:
    """What the action needs beyond the plan's status and the person's roles."""
    if action == "submit":
        return submission_problems(plan)
    if action == "recommend":
        return review_problems(plan)
    if action == "submit_amendment":
        problems = submission_problems(plan, board=False)
        if amendment is not None and amendment_redline(amendment).empty:
            problems.append("The amendment changes nothing yet.")
        return problems
    if action == "approve_budget_amendment" and amendment and not amendment.budget_only:
        return [
            "The amendment changes strategies or goals, so the Commissioner approves it; "
            "state fiscal staff approve budget-only amendments."
        ]
    return []


def plan_transition(*, plan_id: int, action: str, user: User, note: str = "") -> Plan:
    transition = BY_ACTION.get(action)
    if transition is None:
        raise PlanError({"__all__": [f"There is no action {action!r}."]})
    with transaction.atomic():
        # Locked: two reviewers acting at once take turns, and the second sees the new status.
        plan = Plan.objects.select_for_update().select_related("district").get(pk=plan_id)
        access = access_for(user)
        if not allowed(
            transition,
            state_roles=access.state_roles,
            district_roles=access.roles_in(plan.district.code),
        ):
            raise PermissionDenied(f"Your roles do not include “{transition.label}”.")
        if plan.status not in transition.sources:
            raise PlanError(
                {
                    "__all__": [
                        f"The plan is {STATUS_NAMES[plan.status].lower()}; “{transition.label}” "
                        f"needs a plan that is {_names(transition.sources)}."
                    ]
                }
            )
        if transition.note_required and not note.strip():
            raise PlanError(
                {"note": [f"“{transition.label}” needs a note saying why or on what terms."]}
            )
        amendment = open_amendment(plan)
        problems = _preconditions(plan, action, amendment)
        if problems:
            raise PlanError({"__all__": problems})
        before = snapshot(plan)
        target = transition.target
        if target == RESUME:
            target = amendment.resume_status if amendment else plan.status
        now = clock.now()
        changes: dict[str, Any] = {"status": target, "status_changed_at": now}
        if action == "start_review":
            changes["reviewer"] = user
        Plan.objects.filter(pk=plan.pk).update(
            **changes, updated_by=user, updated_at=now, version=F("version") + 1
        )
        plan.refresh_from_db()
        after = snapshot(plan)
        if note:
            after["note"] = note
        audit_record(
            user=user, action=action, obj=plan, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, before=before, after=after,
        )  # fmt: skip
        version = None
        if action in FREEZE_ON:
            number = plan.versions.count() + 1
            version = PlanVersion.objects.create(
                plan=plan, number=number, status=plan.status, created_at=now,
                created_by=user, document=plan_document(plan_contents(plan)),
            )  # fmt: skip
        _amendment_step(
            plan,
            action,
            amendment,
            user=user,
            note=note,
            version=version,
            previous=before["status"] or "",
        )
        if action == "release_funds":
            _schedule_payments(plan, user)
        transaction.on_commit(lambda: _notify(plan, transition, user, note))
    return plan


def _amendment_step(
    plan: Plan, action: str, amendment: Amendment | None, *, user: User, note: str,
    version: PlanVersion | None, previous: str,
) -> None:  # fmt: skip
    """Keep the amendment's own record in step with the plan's status."""
    if action == "open_amendment":
        base = plan.versions.filter(status__in=APPROVED_STATES).order_by("-number").first()
        if base is None:
            raise PlanError({"__all__": ["The plan has no approved version to amend."]})
        amendment = Amendment(
            plan=plan, number=plan.amendments.count() + 1, reason=note.strip(),
            resume_status=previous,
            base_version=base, opened_by=user, opened_at=clock.now(),
        )  # fmt: skip
        changes: dict[str, Any] = {}
    elif amendment is None:
        return
    elif action == "submit_amendment":
        changes = {
            "status": AmendmentStatus.SUBMITTED,
            "budget_only": amendment_redline(amendment).budget_only,
        }
    elif action == "return_amendment":
        changes = {"status": AmendmentStatus.OPEN}
    elif action == "withdraw_amendment":
        # The working copy goes back to the approved version the amendment started from.
        plan_restore(plan=plan, document=amendment.base_version.document, user=user)
        changes = {
            "status": AmendmentStatus.WITHDRAWN,
            "decided_by": user,
            "decided_at": clock.now(),
        }
    elif action in AMENDMENT_APPROVALS:
        changes = {
            "status": AmendmentStatus.APPROVED, "result_version": version,
            "decided_by": user, "decided_at": clock.now(),
        }  # fmt: skip
    else:
        return
    before = snapshot(amendment) if amendment.pk else None
    for field, value in changes.items():
        setattr(amendment, field, value)
    amendment.save()
    audit_record(
        user=user, action="create" if before is None else "update", obj=amendment,
        district_code=plan.district.code, fiscal_year=plan.fiscal_year, before=before,
        after=snapshot(amendment),
    )  # fmt: skip


def _schedule_payments(plan: Plan, user: User) -> None:
    """Releasing funds records the ECS installments that will pay them (rules/payments.yaml)."""
    now = clock.now()
    for name, month, amount in payment_schedule(plan.allocation, plan.fiscal_year, installments()):
        payment = Payment.objects.create(
            plan=plan,
            installment=name,
            month=month,
            amount=amount,
            released_at=now,
            released_by=user,
        )
        audit_record(
            user=user, action="create", obj=payment, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, after=snapshot(payment),
        )  # fmt: skip


def board_approval_record(
    *, plan: Plan, user: User, meeting_date: dt.date, agenda_item: str, votes_for: int,
    votes_against: int = 0, abstentions: int = 0,
) -> BoardApproval:  # fmt: skip
    """The district leader records the Board's vote; only while the district can still edit."""
    if Role.DISTRICT_LEADER not in access_for(user).roles_in(plan.district.code):
        raise PermissionDenied("Only the district leader records the Board's approval.")
    if plan.status not in EDITABLE:
        raise PlanError({"__all__": [f"The plan is {STATUS_NAMES[plan.status].lower()}."]})
    if votes_for <= votes_against:
        raise PlanError(
            {"votes_for": ["The motion carries only with more votes for than against."]}
        )
    if meeting_date > clock.today():
        raise PlanError({"meeting_date": ["The meeting date is in the future."]})
    with transaction.atomic():
        approval = BoardApproval.objects.create(
            plan=plan, meeting_date=meeting_date, agenda_item=agenda_item, votes_for=votes_for,
            votes_against=votes_against, abstentions=abstentions, recorded_by=user,
        )  # fmt: skip
        audit_record(
            user=user, action="create", obj=approval, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, after=snapshot(approval),
        )  # fmt: skip
    return approval


NOTIFY = {
    "submit": {Role.STATE_REVIEWER},
    "recommend": {Role.COMMISSIONER, Role.DISTRICT_LEADER},
    "approve": {Role.STATE_FISCAL, Role.DISTRICT_LEADER, Role.DISTRICT_EDITOR},
    "approve_with_conditions": {Role.STATE_FISCAL, Role.DISTRICT_LEADER, Role.DISTRICT_EDITOR},
    "open_amendment": {Role.STATE_REVIEWER, Role.STATE_FISCAL},
    "submit_amendment": {Role.STATE_REVIEWER, Role.STATE_FISCAL, Role.COMMISSIONER},
}
NOTIFY_DEFAULT = {Role.DISTRICT_LEADER, Role.DISTRICT_EDITOR}


def _recipients(plan: Plan, transition: Transition) -> list[str]:
    """State staff with the roles concerned, and the plan's own district's people with them."""
    roles = NOTIFY.get(transition.action, NOTIFY_DEFAULT)
    memberships = Membership.objects.filter(
        Q(district__isnull=True) | Q(district_id=plan.district_id), role__in=roles
    ).select_related("user")
    return sorted({m.user.email for m in memberships if m.user.email and m.user.is_active})


def _notify(plan: Plan, transition: Transition, user: User, note: str) -> None:
    recipients = _recipients(plan, transition)
    if not recipients:
        return
    body: list[Any] = [
        f"{user} moved {plan} to “{STATUS_NAMES[plan.status]}” ({transition.label}).",
    ]
    if note:
        body.append(f"Note: {note}")
    body.append("Sign in to Alliance Grants to see the plan and its history.")
    send_mail(
        subject=f"{plan}: {STATUS_NAMES[plan.status]}",
        message="\n\n".join(body),
        from_email=None,
        recipient_list=recipients,
    )
