"""Test settings: the real settings module plus what makes the suite fast and deterministic."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from alliance.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
