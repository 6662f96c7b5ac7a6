"""Progress entries: the district reports a goal's value per meeting, the status follows the target
path unless a reviewer judges otherwise with a reason, evidence files are checked and private."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.audit.models import AuditEntry
from alliance.monitoring.models import Meeting, ProgressEntry
from alliance.monitoring.progress import evidence_problem
from alliance.monitoring.rules import monitoring_rules
from alliance.monitoring.selectors import plan_progress
from alliance.monitoring.services import meetings_schedule, progress_enter, progress_override
from alliance.plans.models import Goal, Plan
from alliance.plans.services import Conflict, PlanError

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"
PDF = b"%PDF-1.4 minimal"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def funded(funded: Plan) -> Plan:
    """The funded plan with its three meetings scheduled."""
    meetings_schedule(funded)
    return funded


@pytest.fixture
def k3(funded) -> Goal:
    """The K-3 reading goal, from 52% (its baseline, set as the demo story does) to 60%."""
    goal = Goal.objects.get(strategy__plan=funded, description__startswith="K-3 students")
    Goal.objects.filter(pk=goal.pk).update(baseline=Decimal("52"), baseline_year="2023-24")
    return Goal.objects.get(pk=goal.pk)


def winter(plan: Plan) -> Meeting:
    return Meeting.objects.get(plan=plan, code="winter")


def test_a_reported_value_is_judged_against_the_path(funded, k3, demo_users):
    progress_enter(goal=k3, meeting=winter(funded), user=demo_users["district.editor"],
                   value=Decimal("55"), note="Mid-year benchmark")  # fmt: skip
    goal = next(g for g in plan_progress(funded, list(funded.meetings.all())) if g.goal == k3)
    cell = next(c for c in goal.cells if c.meeting.code == "winter")
    assert cell.status_code == "at_risk" and cell.status_name == "At risk"
    # February 15 is day 230 of 365: 52 + 8 x 230 / 365 = 57.0411 expected; 55 is 25.5% behind.
    assert round(cell.judgement.expected, 4) == Decimal("57.0411")


def test_a_reviewer_may_judge_otherwise_and_says_why(funded, k3, demo_users):
    entry = progress_enter(goal=k3, meeting=winter(funded), user=demo_users["district.editor"],
                           value=Decimal("55"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        progress_override(entry=entry, user=demo_users["district.leader"], status="on_track",
                          reason="x", expected_version=entry.version)  # fmt: skip
    with pytest.raises(PlanError, match="Say why"):
        progress_override(entry=entry, user=demo_users["state.reviewer"], status="on_track",
                          reason="", expected_version=entry.version)  # fmt: skip
    judged = progress_override(
        entry=entry, user=demo_users["state.reviewer"], status="on_track",
        reason="Winter benchmark is always low; fall-to-spring growth is the measure.",
        expected_version=entry.version,
    )  # fmt: skip
    goal = next(g for g in plan_progress(funded, list(funded.meetings.all())) if g.goal == k3)
    assert next(c for c in goal.cells if c.entry).status_code == "on_track"
    with pytest.raises(Conflict):
        progress_enter(goal=k3, meeting=winter(funded), user=demo_users["district.editor"],
                       value=Decimal("56"), expected_version=entry.version)  # fmt: skip
    progress_enter(goal=k3, meeting=winter(funded), user=demo_users["district.editor"],
                   value=Decimal("56"), expected_version=judged.version)  # fmt: skip
    entries = AuditEntry.objects.filter(object_type="progressentry").order_by("id")
    assert [e.action for e in entries] == ["create", "update", "update"]


def test_only_the_district_reports(funded, k3, demo_users):
    with pytest.raises(PermissionDenied):
        progress_enter(goal=k3, meeting=winter(funded), user=demo_users["state.reviewer"],
                       value=Decimal("1"))  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("scan.pdf", PDF, None),
        ("photo.png", b"\x89PNG\r\n", None),
        ("scores.csv", b"grade,score\n3,55\n", None),
        ("virus.exe", b"MZ", "only csv, docx, jpeg, jpg, pdf, png, xlsx files are accepted"),
        ("fake.pdf", b"MZ\x90\x00", "fake.pdf is not a PDF file, whatever its name says"),
        ("binary.csv", b"a,b\x00\x01", "binary.csv is not a text CSV file"),
    ],
)
def test_evidence_files_are_checked_by_kind_and_content(name, content, problem):
    found = evidence_problem(name, len(content), content, monitoring_rules())
    assert (found is None) if problem is None else (problem in (found or ""))


def test_evidence_too_large_is_refused():
    rules = monitoring_rules()
    found = evidence_problem("a.pdf", rules.evidence_max_bytes + 1, PDF, rules)
    assert found == "a.pdf is larger than 5 MB."


def test_evidence_is_stored_and_served_only_to_who_may_see_the_plan(funded, k3, client_for):
    editor = client_for("district.editor")
    upload = SimpleUploadedFile("benchmark.pdf", PDF, content_type="application/pdf")
    response = editor.post(PLAN + f"progress/{k3.pk}/winter/",
                           {"value": "57.5", "note": "Winter", "evidence": upload})  # fmt: skip
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(goal=k3)
    assert entry.value == Decimal("57.5") and entry.evidence.name.endswith("benchmark.pdf")
    download = client_for("board.viewer").get(PLAN + f"progress/entries/{entry.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert (
        client_for("hartford.editor")
        .get(PLAN + f"progress/entries/{entry.pk}/evidence/")
        .status_code
        == 404
    )
    bad = SimpleUploadedFile("benchmark.pdf", b"MZ not a pdf")
    editor.post(PLAN + f"progress/{k3.pk}/fall/", {"value": "53", "evidence": bad})
    assert not ProgressEntry.objects.filter(goal=k3, meeting__code="fall").exists()
    page = editor.get(PLAN + "progress/").content.decode()
    assert "On track" in page and "57.5" in page


def test_the_progress_page_query_count_does_not_grow(funded, k3, demo_users, client_for):
    client = client_for("board.viewer")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PLAN + "progress/").status_code == 200
        return len(captured.captured_queries)

    progress_enter(goal=k3, meeting=winter(funded), user=demo_users["district.editor"],
                   value=Decimal("55"))  # fmt: skip
    before = count()
    for goal in Goal.objects.filter(strategy__plan=funded).exclude(pk=k3.pk):
        for meeting in funded.meetings.all():
            progress_enter(goal=goal, meeting=meeting, user=demo_users["district.editor"],
                           value=Decimal("1"))  # fmt: skip
    assert count() == before
