from django.urls import path

from alliance.monitoring import views

# Under districts/<code>/plans/, ahead of the plan's own rows.
plan_urlpatterns = [
    path("<int:fiscal_year>/spending/", views.spending, name="spending"),
    path("<int:fiscal_year>/spending/import/", views.spending_import, name="spending_import"),
    path("<int:fiscal_year>/spending/entries/", views.spending_add, name="spending_add"),
    path(
        "<int:fiscal_year>/spending/import/<int:upload>/",
        views.spending_map,
        name="spending_map",
    ),
    path(
        "<int:fiscal_year>/spending/unmatched/", views.spending_unmatched, name="spending_unmatched"
    ),
    path(
        "<int:fiscal_year>/spending/unmatched/<int:pk>/",
        views.spending_assign,
        name="spending_assign",
    ),
    path("<int:fiscal_year>/meetings/", views.meetings, name="meetings"),
    path("<int:fiscal_year>/meetings/<str:meeting>/", views.meeting_detail, name="meeting_detail"),
    path(
        "<int:fiscal_year>/meetings/<str:meeting>/record/",
        views.meeting_record_view,
        name="meeting_record",
    ),
    path(
        "<int:fiscal_year>/meetings/<str:meeting>/agenda/", views.agenda_add_view, name="agenda_add"
    ),
    path(
        "<int:fiscal_year>/meetings/<str:meeting>/actions/",
        views.action_add_view,
        name="action_add",
    ),
    path(
        "<int:fiscal_year>/meetings/<str:meeting>/actions/<int:pk>/",
        views.action_close_view,
        name="action_close",
    ),
    path("<int:fiscal_year>/progress/", views.progress, name="progress"),
    path(
        "<int:fiscal_year>/progress/<int:goal>/<str:meeting>/",
        views.progress_enter_view,
        name="progress_enter",
    ),
    path(
        "<int:fiscal_year>/progress/entries/<int:pk>/judgement/",
        views.progress_override_view,
        name="progress_override",
    ),
    path(
        "<int:fiscal_year>/progress/entries/<int:pk>/evidence/",
        views.evidence_file,
        name="evidence_file",
    ),
    path("<int:fiscal_year>/annual-review/", views.annual_review, name="annual_review"),
    path(
        "<int:fiscal_year>/annual-review/scores/",
        views.annual_review_score_view,
        name="annual_review_score",
    ),
    path(
        "<int:fiscal_year>/annual-review/decision/",
        views.annual_review_decide_view,
        name="annual_review_decide",
    ),
]

urlpatterns = [path("", views.portfolio_page, name="portfolio")]
