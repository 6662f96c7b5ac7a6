import datetime as dt

import pytest
from django.core.management import call_command

from alliance.accounts.models import Membership, User
from alliance.audit.models import AuditEntry
from alliance.demo.users import DEMO_PASSWORD, DEMO_USERS
from alliance.lib import clock
from alliance.plans.models import Plan
from alliance.registry.models import District

pytestmark = pytest.mark.django_db


def test_demo_without_serving_creates_one_sign_in_per_role_and_prints_them(capsys):
    call_command("demo", no_serve=True)
    out = capsys.readouterr().out
    assert "205 districts" in out
    assert f"password for all: {DEMO_PASSWORD}" in out
    for demo in DEMO_USERS:
        assert demo.username in out
        user = User.objects.get(username=demo.username)
        assert user.check_password(DEMO_PASSWORD)
        membership = Membership.objects.get(user=user)
        assert membership.role == demo.role
        assert (membership.district.code if membership.district else None) == demo.district_code


def test_demo_is_idempotent(capsys):
    call_command("demo", no_serve=True)
    first = (User.objects.count(), Membership.objects.count(), District.objects.count())
    User.objects.filter(username="district.editor").update(first_name="Changed")
    call_command("demo", no_serve=True)
    assert (User.objects.count(), Membership.objects.count(), District.objects.count()) == first
    assert User.objects.get(username="district.editor").first_name == "Dana"


def test_demo_roles_match_the_issue(capsys):
    call_command("demo", no_serve=True)
    roles = {
        m.user.username: (m.role, m.district.code if m.district else None)
        for m in Membership.objects.select_related("user", "district")
    }
    assert roles == {
        "district.editor": ("district_editor", "0170011"),
        "district.leader": ("district_leader", "0170011"),
        "board.viewer": ("board_viewer", "0170011"),
        "hartford.editor": ("district_editor", "0640011"),
        "hartford.leader": ("district_leader", "0640011"),
        "state.reviewer": ("state_reviewer", None),
        "state.fiscal": ("state_fiscal", None),
        "commissioner": ("commissioner", None),
        "state.admin": ("state_admin", None),
    }


def test_demo_has_an_approved_bristol_plan_with_history_and_hartford_waiting(capsys, client_for):
    call_command("demo", no_serve=True)
    out = capsys.readouterr().out
    assert "Demo Bristol FY2025 Alliance plan: funds released" in out
    assert "Demo Hartford FY2025 Alliance plan: submitted" in out
    bristol = Plan.objects.get(district__code="0170011", fiscal_year=2025)
    actions = list(
        AuditEntry.objects.filter(object_type="plan", object_id=bristol.pk)
        .exclude(action="create")
        .order_by("id")
        .values_list("action", "user_label")
    )
    assert actions == [
        ("submit", "Lee Morgan"), ("start_review", "Riley Chen"), ("return", "Riley Chen"),
        ("submit", "Lee Morgan"), ("start_review", "Riley Chen"), ("recommend", "Riley Chen"),
        ("approve", "Casey Whitfield"), ("release_funds", "Frances Okafor"),
        ("open_amendment", "Lee Morgan"), ("submit_amendment", "Lee Morgan"),
        ("approve_budget_amendment", "Frances Okafor"),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(object_type="goal", action="update", fiscal_year=2025).exists()
    # Each step is dated when it would have happened, from May 2024 to the July 2025 review.
    approved = AuditEntry.objects.get(object_type="plan", object_id=bristol.pk, action="approve")
    assert clock.local_date(approved.at) == dt.date(2024, 7, 10)
    assert clock.local_date(bristol.created_at) == dt.date(2024, 5, 14)
    assert [(i.file_name, clock.local_date(i.imported_at)) for i in
            bristol.expenditure_imports.order_by("imported_at")] == [
        ("bristol-alliance-ledger-2024-10.csv", dt.date(2024, 11, 8)),
        ("bristol-alliance-ledger-2025-01.csv", dt.date(2025, 2, 7)),
        ("bristol-alliance-ledger-2025-06.csv", dt.date(2025, 7, 10)),
    ]  # fmt: skip
    decided = bristol.annual_review.decided_at
    assert decided is not None and clock.local_date(decided) == dt.date(2025, 7, 29)
    assert bristol.payments.count() == 3 and bristol.versions.count() == 4  # with the revision
    # Its year ran: three meetings held, a ledger loaded (one row left to assign), progress on
    # every goal with a baseline, a revision approved and the annual review decided.
    assert [m.held for m in bristol.meetings.all()] == [True, True, True]
    assert bristol.expenditures.count() > 2000 and bristol.expenditures.filter(kind="").count() == 1
    assert bristol.amendments.get().status == "approved"
    assert bristol.annual_review.decision == "continue"
    assert {i.status for i in bristol.action_items.all()} == {"open", "done", "dropped"}
    winter = (
        client_for("district.editor")
        .get("/districts/0170011/plans/2025/spending/?as_of=2025-02-15")
        .content.decode()
    )
    assert "Spending and forecast as of February 15, 2025" in winter
    assert "Winter monitoring meeting (Feb 15)" in winter
    # A newcomer signs in as the reviewer and finds Hartford waiting.
    queue = client_for("state.reviewer").get("/review/").content.decode()
    assert "Hartford School District" in queue and "Submitted" in queue
    hartford = Plan.objects.get(district__code="0640011", fiscal_year=2025)
    assert hartford.board_approvals.exists() and hartford.illustrative
    assert hartford.status_changed_at is not None
    assert clock.local_date(hartford.status_changed_at) == clock.today()  # waiting now
    review = client_for("state.reviewer").get("/districts/0640011/plans/2025/review/")
    assert "Start the review" in review.content.decode()
    # A second run keeps the plans and their history as they are.
    entries = AuditEntry.objects.count()
    call_command("demo", no_serve=True)
    assert Plan.objects.get(district__code="0170011", fiscal_year=2025).pk == bristol.pk
    assert AuditEntry.objects.count() == entries
