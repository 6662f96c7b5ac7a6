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
from alliance.plans.models import BoardApproval, Payment, Plan, PlanVersion
from alliance.plans.selectors import plan_contents
from alliance.plans.services import PlanError
from alliance.plans.transitions import BY_ACTION, EDITABLE, STATUS_NAMES, Transition, allowed

FREEZE_ON = frozenset({"submit", "approve", "approve_with_conditions"})


def _names(statuses: frozenset[str]) -> str:
    return " or ".join(sorted(STATUS_NAMES[s].lower() for s in statuses))


def submission_problems(plan: Plan) -> list[str]:
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
    if not plan.board_approvals.exists():
        problems.append("The Board of Education's approval is not recorded.")
    return problems


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
        if action == "submit":
            problems = submission_problems(plan)
            if problems:
                raise PlanError({"__all__": problems})
        before = snapshot(plan)
        plan.status = transition.target
        plan.updated_by = user
        Plan.objects.filter(pk=plan.pk).update(
            status=plan.status, updated_by=user, updated_at=clock.now(), version=F("version") + 1
        )
        plan.refresh_from_db()
        after = snapshot(plan)
        if note:
            after["note"] = note
        audit_record(
            user=user, action=action, obj=plan, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, before=before, after=after,
        )  # fmt: skip
        if action in FREEZE_ON:
            number = plan.versions.count() + 1
            PlanVersion.objects.create(
                plan=plan, number=number, status=plan.status, created_at=clock.now(),
                created_by=user, document=plan_document(plan_contents(plan)),
            )  # fmt: skip
        if action == "release_funds":
            _schedule_payments(plan, user)
        transaction.on_commit(lambda: _notify(plan, transition, user, note))
    return plan


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
