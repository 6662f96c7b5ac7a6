from django.urls import path

from alliance.monitoring import views

# Under districts/<code>/plans/, ahead of the plan's own rows.
plan_urlpatterns = [
    path("<int:fiscal_year>/spending/", views.spending, name="spending"),
    path("<int:fiscal_year>/spending/import/", views.spending_import, name="spending_import"),
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
]
