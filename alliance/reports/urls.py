from django.urls import path

from alliance.reports import views

# Under districts/<code>/plans/, ahead of the plan's own rows.
plan_urlpatterns = [
    path(
        "<int:fiscal_year>/board-presentation.pptx",
        views.deck_download,
        name="deck_download",
    ),
    path("<int:fiscal_year>/budget.xlsx", views.workbook_download, name="workbook_download"),
]
