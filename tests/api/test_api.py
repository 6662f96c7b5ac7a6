"""The REST API as a script or another system would use it: a personal token, the same answers
and the same refusals as the pages, money as strings, and bad input named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alliance.monitoring.models import Expenditure, ExpenditureImport
from alliance.monitoring.selectors import plan_spending
from alliance.plans.export import plan_document
from alliance.plans.models import Goal, Plan
from alliance.plans.selectors import plan_contents
from alliance.plans.services import plan_create
from alliance.registry.models import District

pytestmark = pytest.mark.django_db
BRISTOL, HARTFORD = "0170011", "0640011"
API = "/api/v1"
LEDGER = (
    "Posted,Account,Memo,Payee,Amount\n"
    '2024-09-15,700,Chromebooks for intervention groups,Tech Co,"$120,000.00"\n'
    '2024-10-01,300,K-3 literacy academy,Reading Inst,"42,000"\n'
    "2024-11-05,300,Conference registration,PD Co,(1500.00)\n"
)


def upload(client: Client, text: str = LEDGER, name: str = "ledger.csv", **mapping: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{API}/plans/{BRISTOL}/2025/expenditures/imports",
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"), **mapping},
    )


def test_a_request_without_a_token_or_session_is_told_how_to_authenticate(db):
    response = Client().get(f"{API}/plans")
    assert response.status_code == 401  # not the sign-in page's redirect
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    wrong = Client(headers={"Authorization": "Bearer ag_not-a-token"}).get(f"{API}/me")
    assert wrong.status_code == 401


def test_a_token_acts_as_its_owner(api):
    me = api("district.editor").get(f"{API}/me").json()
    assert me["username"] == "district.editor" and me["name"] == "Dana Reyes"
    assert me["districts"] == [{"code": BRISTOL, "roles": ["district_editor"]}]
    assert me["state_roles"] == []


def test_the_signed_in_browser_session_works_too(client_for):
    response = client_for("state.reviewer").get(f"{API}/me")
    assert response.status_code == 200 and response.json()["state_roles"] == ["state_reviewer"]


def test_district_people_see_their_districts_and_the_state_sees_all(api):
    mine = api("district.editor").get(f"{API}/districts").json()
    assert [d["code"] for d in mine] == [BRISTOL]
    everyone = api("state.reviewer").get(f"{API}/districts?fiscal_year=2025").json()
    assert len(everyone) > 150
    bristol = next(d for d in everyone if d["code"] == BRISTOL)
    assert bristol["name"] == "Bristol School District" and bristol["alliance_status"] == "current"
    assert Decimal(bristol["allocation"]) > 0 and bristol["fiscal_year"] == 2025
    current = api("state.reviewer").get(f"{API}/districts?fiscal_year=2025&alliance_status=current")
    assert len(current.json()) == 36


def test_another_districts_plan_is_not_found_as_if_it_did_not_exist(api, funded):
    hartford = api("hartford.editor")
    assert hartford.get(f"{API}/plans/{BRISTOL}/2025").status_code == 404
    assert hartford.get(f"{API}/plans/{BRISTOL}/2025/spending").status_code == 404
    assert hartford.get(f"{API}/districts/{BRISTOL}").status_code == 404
    assert hartford.get(f"{API}/plans/{BRISTOL}/2031").status_code == 404
    assert [p["district_code"] for p in hartford.get(f"{API}/plans").json()] == []


def test_a_plan_comes_whole_in_the_export_schema(api, funded):
    body = api("board.viewer").get(f"{API}/plans/{BRISTOL}/2025").json()
    assert body["status"] == "funds_released" and body["version"] == funded.version
    funded.refresh_from_db()
    expected = plan_document(plan_contents(Plan.objects.get(pk=funded.pk)))
    assert body["document"] == expected
    assert body["allocation"] == f"{funded.allocation:.2f}"


def test_approved_plans_are_public_records_for_anyone_signed_in(api, funded):
    hartford = api("hartford.editor")
    records = hartford.get(f"{API}/approved-plans?fiscal_year=2025").json()
    assert [(r["district_code"], r["fiscal_year"]) for r in records] == [(BRISTOL, 2025)]
    record = hartford.get(f"{API}/approved-plans/{BRISTOL}/2025").json()
    assert record["document"]["district"]["code"] == BRISTOL
    assert record["version"] == records[0]["version"]
    assert hartford.get(f"{API}/approved-plans/{BRISTOL}/2025?version=99").status_code == 404


def test_an_import_through_the_api_is_the_pages_import(api, funded):
    client = api("district.editor")
    response = upload(client, Posted="date", Account="object_code")  # wrong way round: ignored
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rows"], body["matched"], body["unmatched"]) == (3, 2, 1)
    assert body["total"] == "160500.00"
    assert body["mapping"]["description"] == "Memo"  # guessed from the headings
    assert Expenditure.objects.filter(plan=funded).count() == 3
    again = upload(client, name="same.csv")
    assert again.status_code == 409 and "already loaded" in again.json()["detail"]
    assert Expenditure.objects.filter(plan=funded).count() == 3


def test_an_import_with_a_mapping_names_the_columns(api, funded):
    text = LEDGER.replace("Memo", "Details")
    response = upload(
        api("district.editor"), text, date="Posted", object_code="Account",
        description="Details", vendor="Payee", amount="Amount",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["mapping"]["description"] == "Details"


def test_a_broken_file_is_refused_whole_with_its_cells_named(api, funded):
    broken = LEDGER + "2024-11-31,600,Bad day,,10\n2024-12-01,600,Worse,,ten\n"
    response = upload(api("district.editor"), broken)
    assert response.status_code == 422
    body = response.json()
    assert [(c["row"], c["column"]) for c in body["cells"]] == [(5, "Posted"), (6, "Amount")]
    assert body["cells"][0]["file"] == "ledger.csv"
    assert "nothing was stored" in body["detail"]
    assert not Expenditure.objects.exists() and not ExpenditureImport.objects.exists()


def test_a_mapping_to_a_missing_column_is_named(api, funded):
    response = upload(api("district.editor"), amount="Total")
    assert response.status_code == 422
    cell = response.json()["cells"][0]
    assert (cell["row"], cell["column"]) == (1, "Total")
    assert "Posted, Account, Memo, Payee, Amount" in cell["message"]
    assert not ExpenditureImport.objects.exists()


def test_only_the_districts_editors_import(api, funded):
    assert upload(api("board.viewer")).status_code == 403
    assert upload(api("state.fiscal")).status_code == 403
    assert upload(api("hartford.editor")).status_code == 404
    assert not Expenditure.objects.exists()


def test_spending_is_the_spending_page_as_of_a_date(api, funded):
    upload(api("district.editor"))
    reader = api("state.reviewer")
    body = reader.get(f"{API}/plans/{BRISTOL}/2025/spending?as_of=2025-01-15").json()
    expected = plan_spending(funded, dt.date(2025, 1, 15))
    assert body["as_of"] == "2025-01-15"
    assert body["total"]["spent"] == f"{expected.result.total.spent:.2f}" == "162000.00"
    assert body["total"]["forecast"] == f"{expected.result.total.forecast:.2f}"
    assert len(body["items"]) == len(expected.result.items)
    assert (body["unmatched_count"], body["unmatched_total"]) == (1, "-1500.00")
    bad = reader.get(f"{API}/plans/{BRISTOL}/2025/spending?as_of=January")
    assert bad.status_code == 422 and "as_of" in bad.json()["detail"]


def test_expenditures_come_in_pages(api, funded):
    upload(api("district.editor"))
    client = api("board.viewer")
    page = client.get(f"{API}/plans/{BRISTOL}/2025/expenditures?limit=2").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    first = page["items"][0]
    assert (first["day"], first["amount"], first["file_name"]) == (
        "2024-09-15",
        "120000.00",
        "ledger.csv",
    )
    assert first["charged_to"].startswith("line:")
    left = client.get(f"{API}/plans/{BRISTOL}/2025/expenditures?unmatched=true").json()
    assert [(e["description"], e["charged_to"]) for e in left["items"]] == [
        ("Conference registration", None)
    ]


def test_the_portfolio_is_for_state_staff(api, funded):
    assert api("district.leader").get(f"{API}/portfolio").status_code == 403
    body = api("commissioner").get(f"{API}/portfolio?fiscal_year=2025&as_of=2025-03-01")
    assert body.status_code == 200
    data = body.json()
    assert len(data["districts"]) == 36 and data["as_of"] == "2025-03-01"
    bristol = next(r for r in data["districts"] if r["district_code"] == BRISTOL)
    assert bristol["plan_status"] == "funds_released" and bristol["budget"] is not None


def test_lists_keep_their_query_count_as_plans_grow(api, funded, demo_users):
    client = api("state.reviewer")
    client.get(f"{API}/me")  # the token's first use is noted once: not part of what is counted
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{API}/plans").json()) == 1
    for code in ("0640011", "0930011", "0150011"):  # Hartford, New Haven, Bridgeport
        plan_create(district=District.objects.get(code=code), fiscal_year=2025, user=None)
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(f"{API}/plans").json()) == 4
    assert len(four) == len(one)


def test_the_openapi_document_describes_every_endpoint(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["info"]["title"] == "Alliance Grants API"
    paths = set(schema["paths"])
    assert {
        "/api/v1/me", "/api/v1/districts", "/api/v1/plans", "/api/v1/plans/{code}/{fiscal_year}",
        "/api/v1/approved-plans", "/api/v1/plans/{code}/{fiscal_year}/spending",
        "/api/v1/plans/{code}/{fiscal_year}/expenditures",
        "/api/v1/plans/{code}/{fiscal_year}/expenditures/imports", "/api/v1/portfolio",
        "/api/v1/plans/{code}/{fiscal_year}/items", "/api/v1/plans/{code}/{fiscal_year}/actions",
        "/api/v1/plans/{code}/{fiscal_year}/lines/{row_id}",
        "/api/v1/plans/{code}/{fiscal_year}/progress/{goal_id}/{meeting}",
        "/api/v1/plans/{code}/{fiscal_year}/expenditures/{expenditure_id}",
    } <= paths  # fmt: skip
    money = schema["components"]["schemas"]["SpendRow"]["properties"]["budget"]
    assert money["type"] == "string" and money["pattern"]


def test_a_token_loses_what_its_owner_loses(api, funded, demo_users):
    client = api("board.viewer")
    assert client.get(f"{API}/plans/{BRISTOL}/2025").status_code == 200
    demo_users["board.viewer"].memberships.all().delete()
    assert client.get(f"{API}/plans/{BRISTOL}/2025").status_code == 404


def test_a_write_through_the_browser_session_needs_the_csrf_token(demo_users, funded):
    from alliance.demo.users import DEMO_PASSWORD

    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username="district.editor", password=DEMO_PASSWORD)
    response = upload(browser)
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not ExpenditureImport.objects.exists()


def test_the_reference_page_reads_without_signing_in(client):
    assert client.get("/api/").url == client.get(f"{API}/").url == f"{API}/docs"
    page = client.get(f"{API}/docs").content.decode()
    assert "Alliance Grants API" in page and "Import a finance export" in page
    assert "POST /api/v1/plans/{code}/{fiscal_year}/expenditures/imports" in page
    assert "FileProblem" in page and "Sign in to make a token" in page


def test_a_row_left_unmatched_is_charged_through_the_api(api, funded):
    client = api("district.editor")
    upload(client)
    items = client.get(f"{API}/plans/{BRISTOL}/2025/items").json()
    line = next(i for i in items if i["kind"] == "line" and i["object_code"] == "300")
    left = client.get(f"{API}/plans/{BRISTOL}/2025/expenditures?unmatched=true").json()["items"][0]
    url = f"{API}/plans/{BRISTOL}/2025/expenditures/{left['id']}"
    charged = client.patch(url, {"charged_to": line["key"]}, content_type="application/json")
    assert charged.status_code == 200 and charged.json()["charged_to"] == line["key"]
    wrong = client.patch(url, {"charged_to": "line:999999"}, content_type="application/json")
    assert wrong.status_code == 422 and "lines or positions" in wrong.json()["errors"]["item"][0]
    assert (
        api("board.viewer")
        .patch(url, {"charged_to": line["key"]}, content_type="application/json")
        .status_code
        == 403
    )


def test_an_expenditure_entered_by_hand(api, funded):
    client = api("district.leader")
    entry = {"day": "2025-02-03", "object_code": "700", "description": "Chromebooks for "
             "intervention groups", "vendor": "Tech Co", "amount": "-250.00"}  # fmt: skip
    response = client.post(
        f"{API}/plans/{BRISTOL}/2025/expenditures", entry, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "-250.00" and body["charged_to"].startswith("line:")
    assert body["file_name"] is None
    bad = client.post(
        f"{API}/plans/{BRISTOL}/2025/expenditures", {**entry, "amount": "12.345"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422 and bad.json()["detail"].startswith("body.amount: ")
    assert Expenditure.objects.filter(plan=funded).count() == 1


def test_progress_is_reported_and_never_silently_overwritten(api, funded):
    editor, leader = api("district.editor"), api("district.leader")
    first_goal = Goal.objects.filter(strategy__plan=funded).order_by("pk").first()
    assert first_goal is not None
    Goal.objects.filter(pk=first_goal.pk).update(baseline=Decimal("50.0000"))  # a path to judge
    goals = editor.get(f"{API}/plans/{BRISTOL}/2025/progress").json()
    goal = next(g for g in goals if g["goal_id"] == first_goal.pk)
    assert goal["baseline"] == "50"
    assert [r["meeting"] for r in goal["reports"]] == ["fall", "winter", "spring"]
    assert all(r["value"] is None for r in goal["reports"])
    url = f"{API}/plans/{BRISTOL}/2025/progress/{goal['goal_id']}/winter"
    first = editor.put(url, {"value": goal["target"], "note": "Mid-year screen"},
                       content_type="application/json")  # fmt: skip
    assert first.status_code == 200, first.content
    winter = first.json()["reports"][1]
    assert winter["value"] == goal["target"] and winter["status"] == "on_track"
    assert winter["note"] == "Mid-year screen" and winter["version"] == 1
    stale = leader.put(url, {"value": "1", "version": None}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert "nothing was overwritten" in stale.json()["detail"]
    again = leader.put(url, {"value": "1", "version": 1}, content_type="application/json")
    assert again.status_code == 200 and again.json()["reports"][1]["value"] == "1"
    viewer = api("board.viewer").put(url, {"value": "2", "version": 2},
                                           content_type="application/json")  # fmt: skip
    assert viewer.status_code == 403
    missing = editor.put(url.replace("winter", "summer"), {"value": "1"},
                         content_type="application/json")  # fmt: skip
    assert missing.status_code == 404


def test_a_person_calling_too_often_is_told_when_to_try_again(api, monkeypatch):
    from django.core.cache import cache

    from alliance.api.main import THROTTLE

    cache.clear()
    monkeypatch.setattr(THROTTLE, "num_requests", 3)
    client, other = api("state.fiscal"), api("commissioner")
    assert [client.get(f"{API}/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(f"{API}/me")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "try again in" in refused.json()["detail"]
    assert other.get(f"{API}/me").status_code == 200  # counted per person
    cache.clear()


def test_a_districts_accountability_results_come_recomputed_beside_the_published(api):
    from django.conf import settings

    from alliance.accountability.services import accountability_import

    accountability_import(path=settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz")
    years = api("district.editor").get(f"{API}/districts/{BRISTOL}/accountability").json()
    latest = years[0]
    assert latest["school_year"] == "2024-25"
    assert abs(Decimal(latest["index"]) - Decimal(latest["published_index"])) < Decimal("0.1")
    ela = next(i for i in latest["indicators"] if i["key"] == "Ind1ELA_All")
    assert ela["indicator"] == 1 and ela["points"] == ela["published_points"]
    assert (
        api("hartford.editor").get(f"{API}/districts/{BRISTOL}/accountability").status_code == 404
    )
