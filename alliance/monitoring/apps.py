from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "alliance.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
