from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "alliance.registry"
    label = "registry"
    verbose_name = "Registry and reference data"
