"""Writes of the monitoring context: expenditure imports, entries and assignments. Each checks the
person's role and the plan's status, and writes atomically with an audit entry."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import polars as pl
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from psycopg.copy import QueuedLibpqWriter

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.accounts.roles import Role
from alliance.audit.services import audit_record, snapshot
from alliance.lib import clock
from alliance.lib.money import ZERO
from alliance.monitoring.bulk import (
    Doubtful,
    cents,
    item_columns,
    ledger_frame,
    ledger_rows,
    ledger_slices,
    match_keys,
)
from alliance.monitoring.expenditures import (
    ExpenditureRow,
    fingerprint,
    read_expenditures,
    table_rows,
)
from alliance.monitoring.items import LINE, item_key, parse_item_key
from alliance.monitoring.matching import Candidate, Matcher
from alliance.monitoring.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AnnualReview,
    Expenditure,
    ExpenditureImport,
    Meeting,
    ProgressEntry,
    ProgressStatus,
    ReviewStage,
    Side,
)
from alliance.monitoring.progress import evidence_problem
from alliance.monitoring.rules import monitoring_rules
from alliance.plans.catalog import catalog
from alliance.plans.models import BudgetLine, Goal, Plan, Position, Strategy, Versioned
from alliance.plans.services import Conflict, PlanError, plan_lock
from alliance.plans.transitions import AMENDING, AMENDMENT_SUBMITTED, APPROVED_STATES

SPENDING_STATES = APPROVED_STATES | {AMENDING, AMENDMENT_SUBMITTED}
SPENDERS = frozenset({Role.DISTRICT_EDITOR, Role.DISTRICT_LEADER})
BATCH = 2000
COPY_SLICE = 10_000  # rows per piece sent to COPY
COPY_FIRST = 1_000  # the first piece: small, so PostgreSQL starts work at once


@dataclass(frozen=True)
class ImportSummary:
    source: ExpenditureImport
    matched: int
    unmatched: int


def _check(plan: Plan, user: User) -> None:
    if not access_for(user).roles_in(plan.district.code) & SPENDERS:
        raise PermissionDenied("Only the district's editors and leaders record its spending.")
    if plan.status not in SPENDING_STATES:
        status = plan.get_status_display().lower()
        raise PlanError(
            {"__all__": [f"The plan is {status}; spending is recorded once it is approved."]}
        )


def candidates(plan: Plan) -> list[Candidate]:
    """Every budget item of the plan an expenditure can be charged to."""
    terms = catalog()
    items = [
        Candidate(item_key(LINE, pk, None), code, description, strategy)
        for pk, code, description, strategy in BudgetLine.objects.filter(plan=plan).values_list(
            "pk", "object_code", "description", "strategy__title"
        )
    ]
    positions = Position.objects.filter(plan=plan).values_list("pk", "title", "strategy__title")
    for pk, title, strategy in positions:
        for part, code in (("salary", terms.salary_code), ("benefits", terms.benefits_code)):
            items.append(Candidate(item_key(part, None, pk), code, title, strategy))
    return items


def item_fields(key: str) -> dict[str, Any]:
    """An item key as the expenditure's fields: kind, line and position."""
    kind, line_id, position_id = parse_item_key(key)
    return {"kind": kind, "line_id": line_id, "position_id": position_id}


def expenditure_import(
    *, plan: Plan, name: str, content: bytes, mapping: dict[str, str], user: User
) -> ImportSummary:
    """Load a finance export: every row or none. Raises ExpenditureFileError naming each bad cell,
    or PlanError when the same file was loaded before."""
    _check(plan, user)
    digest = fingerprint(content)
    earlier = ExpenditureImport.objects.filter(plan=plan, fingerprint=digest).first()
    if earlier is not None:
        when = clock.local_date(earlier.imported_at)
        raise PlanError(
            {
                "file": [
                    f"{name} was already loaded on {when:%B %-d, %Y} as {earlier.file_name} "
                    f"({earlier.rows} rows); nothing was added."
                ]
            }
        )
    with transaction.atomic():
        plan_lock(plan)  # the items matched stay until the rows are stored (see Expenditure)
        matcher = matcher_for(plan)
        source = ExpenditureImport.objects.create(
            plan=plan, file_name=name[:255], fingerprint=digest, mapping=mapping, rows=0,
            total=ZERO, imported_at=clock.now(), imported_by=user,
        )  # fmt: skip
        try:
            with transaction.atomic():
                # Safe for COPY's text format: no tab or backslash anywhere in the file.
                plain = b"\t" not in content and b"\\" not in content
                slices = ledger_slices(name, content, mapping, COPY_SLICE, COPY_FIRST)
                stored = _store(plan, source, slices, matcher, user, plain=plain)
        except Doubtful:
            # A workbook, or a file the columnar reader leaves to the reference, which names
            # every bad cell (ExpenditureFileError, and nothing is kept).
            header, rows = table_rows(name, content)
            ledger = ledger_frame(read_expenditures(name, header, rows, mapping))
            stored = _store(plan, source, [ledger], matcher, user, plain=_plain(ledger))
        source.rows, source.total = stored.rows, cents(stored.cents)
        source.save(update_fields=["rows", "total"])
        audit_record(
            user=user, action="import", obj=source, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, after=snapshot(source),
        )  # fmt: skip
    return ImportSummary(source, stored.matched, stored.rows - stored.matched)


def matcher_for(plan: Plan) -> Matcher:
    terms = catalog()
    return Matcher(
        candidates(plan), salary_family=terms.salary_code, benefits_family=terms.benefits_code
    )


COPY_COLUMNS = (
    "plan_id", "source_id", "row", "day", "object_code", "description", "vendor", "amount",
    "kind", "line_id", "position_id", "entered_by_id",
)  # fmt: skip


@dataclass
class _Stored:
    rows: int = 0
    cents: int = 0
    matched: int = 0


def _store(
    plan: Plan, source: ExpenditureImport, ledgers: Iterable[pl.DataFrame], matcher: Matcher,
    user: User, *, plain: bool,
) -> _Stored:  # fmt: skip
    """Match and write the rows, slice by slice: PostgreSQL's COPY where there is one (a finance
    export can hold 100,000 rows), bulk inserts elsewhere. `plain`: no text holds a tab, line
    break or backslash, so COPY's own text format (quicker for PostgreSQL to read than CSV) will
    do."""
    stored = _Stored()
    if connection.vendor != "postgresql":
        for ledger in ledgers:
            keys = match_keys(ledger, matcher)
            stored = _count(stored, ledger, keys)
            Expenditure.objects.bulk_create(
                (
                    Expenditure(
                        plan=plan,
                        source=source,
                        entered_by=user,
                        row=r.row,
                        day=r.day,
                        object_code=r.object_code,
                        description=r.description,
                        vendor=r.vendor,
                        amount=r.amount,
                        kind=kind,
                        line_id=line_id,
                        position_id=position_id,
                    )
                    for r, (kind, line_id, position_id) in zip(
                        ledger_rows(ledger),
                        item_columns(keys).select("kind", "line_id", "position_id").iter_rows(),
                        strict=True,
                    )
                ),
                batch_size=BATCH,
            )
        return stored
    table = Expenditure._meta.db_table
    options = "" if plain else "WITH (FORMAT csv, NULL '\\N')"
    statement = f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN {options}"
    # A worker thread sends each slice while the next is read and matched, so PostgreSQL stores
    # rows while Python is still working.
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(statement, writer=QueuedLibpqWriter(cursor.cursor)) as copy,
    ):
        for ledger in ledgers:
            keys = match_keys(ledger, matcher)
            stored = _count(stored, ledger, keys)
            copy.write(_copy_data(plan, source, user, ledger, keys, plain=plain).getbuffer())
    return stored


def _count(stored: _Stored, ledger: pl.DataFrame, keys: pl.Series) -> _Stored:
    return _Stored(
        rows=stored.rows + ledger.height,
        cents=stored.cents + int(ledger["amount_cents"].sum()),
        matched=stored.matched + int((keys != "").sum()),
    )


def _copy_data(
    plan: Plan, source: ExpenditureImport, user: User, ledger: pl.DataFrame, keys: pl.Series,
    *, plain: bool,
) -> io.BytesIO:  # fmt: skip
    cents_ = pl.col("amount_cents")
    rows = pl.concat([ledger, item_columns(keys)], how="horizontal").select(
        pl.lit(plan.pk).alias("plan_id"), pl.lit(source.pk).alias("source_id"), "row", "day",
        "object_code", "description", "vendor",
        pl.format(
            "{}{}.{}", pl.when(cents_ < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            cents_.abs() // 100, (cents_.abs() % 100).cast(pl.String).str.zfill(2),
        ).alias("amount"),
        "kind", "line_id", "position_id", pl.lit(user.pk).alias("entered_by_id"),
    )  # fmt: skip
    data = io.BytesIO()
    if plain:
        rows.write_csv(
            data, include_header=False, separator="\t", quote_style="never", null_value="\\N"
        )
    else:  # text quoted, so an empty vendor stays empty and a cell reading \N stays text
        rows.write_csv(data, include_header=False, quote_style="non_numeric", null_value="\\N")
    return data


def _plain(ledger: pl.DataFrame) -> bool:
    """No text that COPY's text format would need escaped."""
    texts = ("object_code", "description", "vendor")
    return not ledger.select(
        pl.any_horizontal(pl.col(c).str.contains(r"[\t\n\r\\]") for c in texts).any()
    ).item()


def expenditure_add(
    *, plan: Plan, user: User, day: dt.date, object_code: str, description: str, amount: Decimal,
    vendor: str = "", item: str = "",
) -> Expenditure:  # fmt: skip
    """One expenditure entered by hand, charged to the item chosen (or matched like a file row)."""
    _check(plan, user)
    row = ExpenditureRow(0, day, object_code, description, vendor, amount, "")
    with transaction.atomic():
        plan_lock(plan)
        matcher = matcher_for(plan)
        if item and item not in matcher.keys:
            raise PlanError({"item": ["Choose one of the plan's lines or positions."]})
        expenditure = Expenditure(
            plan=plan, day=day, object_code=object_code, description=description, vendor=vendor,
            amount=amount, entered_by=user, **item_fields(item or matcher(row)),
        )  # fmt: skip
        expenditure.save()
        audit_record(
            user=user, action="create", obj=expenditure, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, after=snapshot(expenditure),
        )  # fmt: skip
    return expenditure


def expenditure_assign(*, expenditure: Expenditure, item: str, user: User) -> Expenditure:
    """Charge an expenditure to a budget item (an unmatched row, or a correction)."""
    plan = expenditure.plan
    _check(plan, user)
    with transaction.atomic():
        plan_lock(plan)
        if item not in {c.key for c in candidates(plan)}:
            raise PlanError({"item": ["Choose one of the plan's lines or positions."]})
        current = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
        before = snapshot(current)
        for field, value in item_fields(item).items():
            setattr(current, field, value)
        current.save(update_fields=["kind", "line", "position"])
        audit_record(
            user=user, action="update", obj=current, district_code=plan.district.code,
            fiscal_year=plan.fiscal_year, before=before, after=snapshot(current),
        )  # fmt: skip
    return current


# Meetings: both sides build the agenda and the action items; the state reviewer and the
# district's leader keep the record (date, attendees, notes, decisions).
MEETING_DISTRICT = frozenset({Role.DISTRICT_EDITOR, Role.DISTRICT_LEADER})
MEETING_STATE = frozenset({Role.STATE_REVIEWER, Role.STATE_FISCAL, Role.COMMISSIONER})
RECORD_KEEPERS = frozenset({Role.STATE_REVIEWER, Role.DISTRICT_LEADER})


def _side(plan: Plan, user: User, *, record: bool = False) -> str:
    """Which side the person speaks for at the plan's meetings, or PermissionDenied."""
    access = access_for(user)
    district_roles = access.roles_in(plan.district.code)
    if record and not (district_roles | access.state_roles) & RECORD_KEEPERS:
        raise PermissionDenied("The state reviewer and the district leader keep the record.")
    if district_roles & MEETING_DISTRICT:
        return Side.DISTRICT
    if access.state_roles & MEETING_STATE:
        return Side.STATE
    raise PermissionDenied("Only the district's editors and leaders and CSDE staff take part.")


def _audit(user: User, action: str, obj: Any, plan: Plan, **values: Any) -> None:
    audit_record(
        user=user, action=action, obj=obj, district_code=plan.district.code,
        fiscal_year=plan.fiscal_year, **values,
    )  # fmt: skip


V = TypeVar("V", bound=Versioned)


def _versioned_update(
    row: V, *, plan: Plan, user: User, expected_version: int, changes: dict[str, Any],
    check: Callable[[V], None] | None = None,
) -> V:  # fmt: skip
    """Lock the row, refuse it if someone saved it since `expected_version` (Conflict), run
    `check` on it as it is now, apply the changes with a new version, and audit them."""
    with transaction.atomic():
        current = type(row)._default_manager.select_for_update().get(pk=row.pk)
        if current.version != expected_version:
            raise Conflict(current, changes)
        if check is not None:
            check(current)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1
        current.updated_by = user
        current.save()
        _audit(user, "update", current, plan, before=before, after=snapshot(current))
    return current


def meetings_schedule(plan: Plan) -> list[Meeting]:
    """The year's three meetings on their default dates (rules/monitoring.yaml), once the plan is
    approved; meetings already there keep their dates. Idempotent."""
    if plan.status not in SPENDING_STATES:
        return []
    existing = {m.code: m for m in Meeting.objects.filter(plan=plan)}
    missing = []
    for rule in monitoring_rules().meetings:
        if rule.code not in existing:
            missing.append(Meeting(plan=plan, code=rule.code, day=rule.day_in(plan.fiscal)))
    if missing:
        with transaction.atomic():
            for meeting in missing:
                meeting.save()
                audit_record(
                    user=None, action="create", obj=meeting, district_code=plan.district.code,
                    fiscal_year=plan.fiscal_year, after=snapshot(meeting),
                )  # fmt: skip
    return sorted([*existing.values(), *missing], key=lambda m: m.day)


def meeting_record(
    *, meeting: Meeting, user: User, expected_version: int, changes: dict[str, Any]
) -> Meeting:
    """The meeting's date, whether it was held, attendees, notes and decisions."""
    plan = meeting.plan
    _side(plan, user, record=True)
    allowed = {"day", "held", "attendees", "notes", "decisions"}
    if set(changes) - allowed:
        raise PlanError({"__all__": ["Only the date, attendance and the record can change."]})
    return _versioned_update(
        meeting, plan=plan, user=user, expected_version=expected_version, changes=changes
    )


def agenda_add(
    *, meeting: Meeting, user: User, title: str, detail: str = "",
    strategy: Strategy | None = None, goal: Goal | None = None,
) -> AgendaItem:  # fmt: skip
    plan = meeting.plan
    side = _side(plan, user)
    if not title.strip():
        raise PlanError({"title": ["Say what the item is."]})
    for linked in (strategy, goal.strategy if goal else None):
        if linked is not None and linked.plan_id != plan.pk:
            raise PlanError({"__all__": ["Link the item to this plan's strategies and goals."]})
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting, title=title.strip(), detail=detail.strip(), strategy=strategy,
            goal=goal, side=side, added_by=user, added_at=clock.now(),
        )  # fmt: skip
        _audit(user, "create", item, plan, after=snapshot(item))
    return item


def action_add(*, meeting: Meeting, user: User, title: str, owner: str, due: dt.date) -> ActionItem:
    plan = meeting.plan
    side = _side(plan, user)
    problems = {}
    if not title.strip():
        problems["title"] = ["Say what is to be done."]
    if not owner.strip():
        problems["owner"] = ["Say who does it."]
    if problems:
        raise PlanError(problems)
    with transaction.atomic():
        item = ActionItem.objects.create(
            plan=plan, raised_at=meeting, title=title.strip(), owner=owner.strip(), side=side,
            due=due, updated_by=user,
        )  # fmt: skip
        _audit(user, "create", item, plan, after=snapshot(item))
    return item


def action_close(
    *, item: ActionItem, user: User, status: str, note: str, meeting: Meeting | None,
    expected_version: int,
) -> ActionItem:  # fmt: skip
    """Mark an action item done or dropped (or open again), at a meeting or between them."""
    plan = item.plan
    _side(plan, user)
    if status not in ActionStatus.values:
        raise PlanError({"status": ["Choose open, done or dropped."]})
    if status == ActionStatus.DROPPED and not note.strip():
        raise PlanError({"note": ["Say why it is dropped."]})
    changes = {
        "status": status, "closing_note": note.strip(),
        "closed_at": None if status == ActionStatus.OPEN else meeting,
    }  # fmt: skip
    return _versioned_update(
        item, plan=plan, user=user, expected_version=expected_version, changes=changes
    )


EVIDENCE_HEAD = 512


def progress_enter(
    *, goal: Goal, meeting: Meeting, user: User, value: Decimal, note: str = "",
    evidence: UploadedFile | None = None, expected_version: int | None = None,
) -> ProgressEntry:  # fmt: skip
    """The district reports the value a goal reached by a meeting (a second report replaces the
    first, unless someone else saved one meanwhile)."""
    plan = meeting.plan
    if not access_for(user).roles_in(plan.district.code) & SPENDERS:
        raise PermissionDenied("The district's editors and leaders report progress.")
    if goal.strategy.plan_id != plan.pk:
        raise PlanError({"goal": ["That goal is not in this plan."]})
    if evidence is not None:
        head = evidence.read(EVIDENCE_HEAD)
        evidence.seek(0)
        problem = evidence_problem(
            evidence.name or "", evidence.size or 0, head, monitoring_rules()
        )
        if problem:
            raise PlanError({"evidence": [problem]})
    with transaction.atomic():
        current = (
            ProgressEntry.objects.select_for_update().filter(goal=goal, meeting=meeting).first()
        )
        if current is not None and expected_version != current.version:
            raise Conflict(current, {"value": value})
        before = snapshot(current) if current else None
        entry = current or ProgressEntry(goal=goal, meeting=meeting)
        entry.value, entry.note, entry.updated_by = value, note.strip(), user
        if current is not None:
            entry.version += 1
        if evidence is not None:
            entry.evidence.save(evidence.name or "evidence", evidence, save=False)
        entry.save()
        _audit(user, "update" if before else "create", entry, plan, before=before,
               after=snapshot(entry))  # fmt: skip
    return entry


def progress_override(
    *, entry: ProgressEntry, user: User, status: str, reason: str, expected_version: int
) -> ProgressEntry:
    """A reviewer judges a goal's progress otherwise than the target path does, and says why
    (an empty status withdraws the override)."""
    plan = entry.meeting.plan
    if Role.STATE_REVIEWER not in access_for(user).state_roles:
        raise PermissionDenied("State reviewers judge progress.")
    if status and status not in ProgressStatus.values:
        raise PlanError({"status": ["Choose on track, at risk or off track."]})
    if status and not reason.strip():
        raise PlanError({"reason": ["Say why the judgement differs from the target path."]})
    changes = {"override": status, "override_reason": reason.strip() if status else ""}
    return _versioned_update(
        entry, plan=plan, user=user, expected_version=expected_version, changes=changes
    )


def annual_review_score(
    *, plan: Plan, user: User, scores: dict[str, tuple[int, str]], expected_version: int | None
) -> AnnualReview:
    """The reviewer scores each rubric criterion with a comment; the average gives the
    recommendation (rules/monitoring.yaml). Scores can be revised until the Commissioner decides."""
    if Role.STATE_REVIEWER not in access_for(user).state_roles:
        raise PermissionDenied("State reviewers score the annual review.")
    if plan.status not in APPROVED_STATES | {AMENDING, AMENDMENT_SUBMITTED}:
        raise PlanError({"__all__": ["Only an approved plan's year is reviewed."]})
    rules = monitoring_rules()
    problems: dict[str, list[str]] = {}
    for criterion in rules.criteria:
        score, comment = scores.get(criterion.code, (0, ""))
        if not rules.score_min <= score <= rules.score_max:
            problems[criterion.code] = [
                f"Score “{criterion.name}” from {rules.score_min} to {rules.score_max}."
            ]
        elif not comment.strip():
            problems[criterion.code] = [f"Say why “{criterion.name}” scores {score}."]
    if problems:
        raise PlanError(problems)
    average = (
        Decimal(sum(scores[c.code][0] for c in rules.criteria)) / len(rules.criteria)
    ).quantize(Decimal("0.01"))
    fields = {
        "scores": {c.code: {"score": scores[c.code][0], "comment": scores[c.code][1].strip()}
                   for c in rules.criteria},
        "average": average,
        "recommendation": rules.recommendation_for(average).code,
        "stage": ReviewStage.SCORED,
        "scored_by": user,
        "scored_at": clock.now(),
    }  # fmt: skip
    with transaction.atomic():
        current = AnnualReview.objects.select_for_update().filter(plan=plan).first()
        if current is not None and current.stage == ReviewStage.DECIDED:
            raise PlanError({"__all__": ["The Commissioner has decided; the scores are final."]})
        if current is not None and current.version != expected_version:
            raise Conflict(current, {})
        before = snapshot(current) if current else None
        review = current or AnnualReview(plan=plan)
        for name, value in fields.items():
            setattr(review, name, value)
        if current is not None:
            review.version += 1
        review.updated_by = user
        review.save()
        _audit(user, "update" if before else "create", review, plan, before=before,
               after=snapshot(review))  # fmt: skip
    return review


def annual_review_decide(
    *, review: AnnualReview, user: User, decision: str, note: str, expected_version: int
) -> AnnualReview:
    """The Commissioner confirms the recommendation or decides otherwise, saying why."""
    plan = review.plan
    if Role.COMMISSIONER not in access_for(user).state_roles:
        raise PermissionDenied("The Commissioner decides whether funding continues.")
    outcomes = {r.code for r in monitoring_rules().recommendations}
    if decision not in outcomes:
        raise PlanError(
            {"decision": ["Choose continue, continue with conditions or do not continue."]}
        )

    def check(current: AnnualReview) -> None:
        if current.stage == ReviewStage.DECIDED:
            raise PlanError({"__all__": ["The decision is made."]})
        if decision != current.recommendation and not note.strip():
            raise PlanError({"note": ["Say why the decision differs from the recommendation."]})
        if decision == "continue_with_conditions" and not note.strip():
            raise PlanError({"note": ["State the conditions."]})

    changes = {
        "decision": decision, "decision_note": note.strip(), "decided_by": user,
        "decided_at": clock.now(), "stage": ReviewStage.DECIDED,
    }  # fmt: skip
    return _versioned_update(
        review, plan=plan, user=user, expected_version=expected_version, changes=changes,
        check=check,
    )  # fmt: skip
