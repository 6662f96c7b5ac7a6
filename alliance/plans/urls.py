from django.urls import path

from alliance.plans import views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("start/", views.plan_start, name="plan_start"),
    path("<int:fiscal_year>/", views.plan_detail, name="plan_detail"),
    path("<int:fiscal_year>/budget/", views.plan_budget, name="plan_budget"),
    path("<int:fiscal_year>/history/", views.plan_history, name="plan_history"),
    path(
        "<int:fiscal_year>/actions/<str:action>/",
        views.plan_transition_view,
        name="plan_transition",
    ),
    path("<int:fiscal_year>/versions/<int:number>/", views.plan_version, name="plan_version"),
    path("<int:fiscal_year>/letter/", views.approval_letter, name="approval_letter"),
    path("<int:fiscal_year>/print/", views.plan_print, name="plan_print"),
    path(
        "<int:fiscal_year>/amendments/<int:number>/",
        views.amendment_detail,
        name="amendment_detail",
    ),
    path("<int:fiscal_year>/board-approval/", views.board_approval_view, name="board_approval"),
    path("<int:fiscal_year>/contacts/", views.plan_contacts, name="plan_contacts"),
    path("<int:fiscal_year>/contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path(
        "<int:fiscal_year>/contacts/<int:pk>/delete/", views.contact_remove, name="contact_remove"
    ),
    path("<int:fiscal_year>/strategies/", views.strategy_create, name="strategy_create"),
    path("<int:fiscal_year>/goals/", views.goal_create, name="goal_create"),
    path("<int:fiscal_year>/schools/", views.school_serve, name="school_serve"),
    path("<int:fiscal_year>/allocation/", views.allocation_edit, name="allocation_edit"),
    path("<int:fiscal_year>/<str:kind>/", views.row_create, name="row_create"),
    path("<int:fiscal_year>/<str:kind>/<int:pk>/", views.row_edit, name="row_edit"),
    path("<int:fiscal_year>/<str:kind>/<int:pk>/delete/", views.row_remove, name="row_remove"),
]
