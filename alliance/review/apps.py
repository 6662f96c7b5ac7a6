from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "alliance.review"
    label = "review"
    verbose_name = "Plan review"
