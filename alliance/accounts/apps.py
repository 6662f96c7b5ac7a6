from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alliance.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
