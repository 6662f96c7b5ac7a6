from django.apps import AppConfig


class DesignationConfig(AppConfig):
    name = "alliance.designation"
    label = "designation"
    verbose_name = "Identification of Alliance Districts"
