from django.urls import path

from alliance.accountability import views

urlpatterns = [
    path("accountability/<str:school_year>/", views.ranking, name="accountability_ranking"),
    path(
        "districts/<str:code>/accountability/",
        views.district_accountability,
        name="district_accountability",
    ),
    path("schools/<str:code>/", views.school_accountability, name="school_accountability"),
]
