from django.urls import path

from alliance.review import views

# Under districts/<code>/plans/, ahead of the plan's own rows.
plan_urlpatterns = [
    path("<int:fiscal_year>/review/", views.plan_review_page, name="plan_review"),
    path(
        "<int:fiscal_year>/review/items/<int:item_id>/",
        views.review_decide_view,
        name="review_decide",
    ),
    path("<int:fiscal_year>/review/comments/", views.comment_add_view, name="comment_add"),
]

urlpatterns = [
    path("", views.review_queue, name="review_queue"),
    path("checklist/", views.checklist_page, name="review_checklist"),
    path("checklist/<int:pk>/", views.checklist_item_edit, name="checklist_item_edit"),
]
