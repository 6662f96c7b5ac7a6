"""Writes of the review: a decision per checklist item, comments, and the checklist itself.
Each checks the person's role and the plan's status, saves atomically with an audit entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.accounts.roles import STATE_ROLES, Role
from alliance.audit.services import audit_record, snapshot
from alliance.lib import clock
from alliance.plans.models import Plan
from alliance.plans.services import Conflict, PlanError
from alliance.plans.transitions import STATUS_NAMES, UNDER_REVIEW
from alliance.review.checklist import checklist_rules
from alliance.review.models import ChecklistItem, Comment, Decision, ReviewResponse

COMMENTERS = frozenset({Role.DISTRICT_EDITOR, Role.DISTRICT_LEADER}) | STATE_ROLES - {
    Role.STATE_ADMIN
}


def _audit(user: User, action: str, obj: Any, plan: Plan | None, **values: Any) -> None:
    audit_record(
        user=user, action=action, obj=obj,
        district_code=plan.district.code if plan else "",
        fiscal_year=plan.fiscal_year if plan else 0, **values,
    )  # fmt: skip


def review_decide(
    *, plan: Plan, item: ChecklistItem, user: User, decision: str, comment: str,
    expected_version: int | None,
) -> ReviewResponse:  # fmt: skip
    """The reviewer's Approve / Revise / N/A on one item; Revise says what to fix.

    expected_version is the version the reviewer saw (None: there was no decision yet); a decision
    someone else saved since is not overwritten.
    """
    if Role.STATE_REVIEWER not in access_for(user).state_roles:
        raise PermissionDenied("Only state reviewers decide checklist items.")
    if decision not in Decision.values:
        raise PlanError({"decision": ["Choose Approve, Revise or N/A."]})
    comment = comment.strip()
    if decision == Decision.REVISE and not comment:
        raise PlanError({"comment": ["Say what the district should revise."]})
    with transaction.atomic():
        # The plan's status as it is now, held while the decision is saved.
        status = Plan.objects.select_for_update().values_list("status", flat=True).get(pk=plan.pk)
        if status != UNDER_REVIEW:
            raise PlanError(
                {"__all__": [f"The plan is {STATUS_NAMES[status].lower()}, not under review."]}
            )
        current = ReviewResponse.objects.select_for_update().filter(plan=plan, item=item).first()
        if current is None:
            if expected_version is not None:
                raise PlanError({"__all__": ["That decision was removed; reload the checklist."]})
            response = ReviewResponse.objects.create(
                plan=plan, item=item, decision=decision, comment=comment, updated_by=user
            )
            _audit(user, "create", response, plan, after=snapshot(response))
            return response
        if expected_version != current.version:
            raise Conflict(current, {"decision": decision, "comment": comment})
        before = snapshot(current)
        ReviewResponse.objects.filter(pk=current.pk).update(
            decision=decision, comment=comment, updated_by=user, updated_at=clock.now(),
            version=F("version") + 1,
        )  # fmt: skip
        current.refresh_from_db()
        _audit(user, "update", current, plan, before=before, after=snapshot(current))
        return current


def comment_add(
    *, plan: Plan, user: User, section: str, body: str, parent: Comment | None = None
) -> Comment:
    """A comment on a section, or a reply in its thread; state staff and the district's editors."""
    access = access_for(user)
    if not (access.state_roles | access.roles_in(plan.district.code)) & COMMENTERS:
        raise PermissionDenied("Only state staff and the district's editors comment on a plan.")
    body = body.strip()
    if not body:
        raise PlanError({"body": ["Write the comment."]})
    if parent is not None:
        if parent.plan_id != plan.pk:
            raise PlanError({"__all__": ["That comment belongs to another plan."]})
        section = parent.section
        parent = parent.parent or parent  # threads are one level deep: a reply joins its thread
    if section not in {s.code for s in checklist_rules().sections}:
        raise PlanError({"section": ["Choose a section of the plan."]})
    with transaction.atomic():
        comment = Comment.objects.create(
            plan=plan, section=section, parent=parent, author=user, body=body,
            created_at=clock.now(),
        )  # fmt: skip
        _audit(user, "create", comment, plan, after=snapshot(comment))
    return comment


def checklist_item_save(
    *, user: User, data: dict[str, Any], item: ChecklistItem | None = None,
    expected_version: int | None = None,
) -> ChecklistItem:  # fmt: skip
    """A state admin adds a checklist item or changes one (retiring it keeps old decisions)."""
    if Role.STATE_ADMIN not in access_for(user).state_roles:
        raise PermissionDenied("Only state admins change the review checklist.")
    with transaction.atomic():
        if item is None:
            item = ChecklistItem(updated_by=user, **data)
            item.save()
            _audit(user, "create", item, None, after=snapshot(item))
            return item
        current = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if expected_version != current.version:
            raise Conflict(current, data)
        before = snapshot(current)
        for name, value in data.items():
            setattr(current, name, value)
        current.version += 1
        current.updated_by = user
        current.save()
        _audit(user, "update", current, None, before=before, after=snapshot(current))
        return current


def checklist_seed() -> int:
    """Start an empty checklist from alliance/rules/review.yaml (the migration does this once);
    a checklist that has items is the state admins' and is left alone. Returns the items added."""
    if ChecklistItem.objects.exists():
        return 0
    items = [
        ChecklistItem(
            code=item.code,
            section=item.section,
            text=item.text,
            source=item.source,
            position=position * 10,
        )
        for position, item in enumerate(checklist_rules().items, start=1)
    ]
    ChecklistItem.objects.bulk_create(items)
    return len(items)
