from django.urls import path

from alliance.designation import views

urlpatterns = [
    path("designations/", views.designations, name="designations"),
    path("designations/identify/", views.identify_page, name="identify"),
]
