from django.urls import path

from alliance.registry import views

urlpatterns = [
    path("", views.district_list, name="district_list"),
    path("<str:code>/", views.district_detail, name="district_detail"),
]
