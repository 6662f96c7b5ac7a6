"""Reads of a plan's review that pages share, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from alliance.plans.models import Plan
from alliance.review.checklist import checklist_rules
from alliance.review.models import ChecklistItem, Comment, Decision, ReviewResponse


@dataclass
class ItemRow:
    item: ChecklistItem
    response: ReviewResponse | None


@dataclass
class SectionReview:
    code: str
    name: str
    items: list[ItemRow] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)  # top level; replies prefetched

    @property
    def to_revise(self) -> list[ItemRow]:
        return [r for r in self.items if r.response and r.response.decision == Decision.REVISE]


@dataclass
class Review:
    sections: list[SectionReview]

    @property
    def rows(self) -> list[ItemRow]:
        return [row for section in self.sections for row in section.items]

    @property
    def to_revise(self) -> list[ItemRow]:
        return [row for section in self.sections for row in section.to_revise]

    @property
    def undecided(self) -> list[ItemRow]:
        return [row for row in self.rows if row.response is None]

    @property
    def comment_count(self) -> int:
        return sum(1 + len(c.replies.all()) for section in self.sections for c in section.comments)


def plan_review(plan: Plan) -> Review:
    """The checklist's active items with this plan's decisions, and the comment threads."""
    responses = {
        r.item_id: r for r in ReviewResponse.objects.filter(plan=plan).select_related("updated_by")
    }
    items = list(ChecklistItem.objects.filter(active=True))
    # An item retired after it was decided still shows for the plan that was decided on it.
    retired = list(ChecklistItem.objects.filter(active=False, pk__in=list(responses)))
    comments = list(
        Comment.objects.filter(plan=plan, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    sections = [SectionReview(s.code, s.name) for s in checklist_rules().sections]
    by_code = {s.code: s for s in sections}
    for item in [*items, *retired]:
        by_code[item.section].items.append(ItemRow(item, responses.get(item.pk)))
    for comment in comments:
        by_code[comment.section].comments.append(comment)
    return Review(sections)


def review_problems(plan: Plan) -> list[str]:
    """What stops the reviewer recommending approval: undecided items, items to revise."""
    review = plan_review(plan)
    problems = [f"Checklist item “{row.item.text}” has no decision." for row in review.undecided]
    problems += [f"Checklist item “{row.item.text}” is marked Revise." for row in review.to_revise]
    return problems
