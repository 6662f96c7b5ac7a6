from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "alliance.accountability"
    label = "accountability"
    verbose_name = "Accountability (NGAS)"
