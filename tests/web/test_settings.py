"""A bad environment stops start-up with a message that names the variable."""

import os
import subprocess
import sys

import pytest


def start(*command: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    environ.update(DJANGO_SETTINGS_MODULE="alliance.settings", **env)
    return subprocess.run(  # noqa: S603 (our own command, our own arguments)
        [sys.executable, "-m", "alliance.cli", *(command or ["check"])],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be True or False (got 'maybe')"),
        ({"DEBUG": "False"}, "SECRET_KEY must be set when DEBUG is False"),
        (
            {"DEBUG": "True", "ALLOWED_HOSTS": "a.example,,b"},
            "ALLOWED_HOSTS must be a comma-separated",
        ),
        (
            {"DEBUG": "True", "DATABASE_URL": "mysql://u@h/db"},
            "DATABASE_URL must point at SQLite or PostgreSQL",
        ),
        ({"DEBUG": "True", "DATABASE_URL": "nonsense"}, "DATABASE_URL is not a database URL"),
        ({"DEBUG": "True", "HTTPS": "sometimes"}, "HTTPS must be True or False"),
        ({"DEBUG": "True", "EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number (got 'smtp')"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_good_values_start(tmp_path):
    result = start(
        DEBUG="False",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="grants.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_smtp_host_sends_email_by_smtp():
    show = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_PORT)"
    console = start("shell", "-c", show, DEBUG="True")
    assert "console.EmailBackend 587" in console.stdout
    smtp = start("shell", "-c", show, DEBUG="True", EMAIL_HOST="smtp.example.org", EMAIL_PORT="25")
    assert "smtp.EmailBackend 25" in smtp.stdout, smtp.stderr
