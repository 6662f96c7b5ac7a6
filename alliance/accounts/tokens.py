"""Personal API tokens: made, used and revoked by their owner.

A token acts as the person who made it, with their roles at the moment of each request, so a role
taken away is taken from the token too. The secret is shown once; only its SHA-256 digest is kept,
which is enough to find it again (a secret of 256 random bits needs no slow hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from alliance.accounts.models import ApiToken, User
from alliance.lib import clock

SECRET_PREFIX = "ag_"  # noqa: S105 (not a secret) tells an Alliance Grants secret apart in a config file or a leak scan
LIFETIMES = {30: "30 days", 90: "90 days", 365: "One year"}  # days; product defaults
MAX_ACTIVE = 20
_TOUCH_EVERY = dt.timedelta(minutes=1)  # how stale "last used" may be: no write on every call


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at=None).filter(
        Q(expires_at=None) | Q(expires_at__gt=clock.now())
    )


def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token and its secret (which is not kept, and cannot be shown again)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Say what the token is for, e.g. 'Finance export upload'."})
    if days not in LIFETIMES:
        raise ValidationError({"days": "Choose how long the token lasts."})
    if active_tokens(user).count() >= MAX_ACTIVE:
        raise ValidationError(
            {"__all__": f"You have {MAX_ACTIVE} active tokens; revoke one you no longer use."}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:10], digest=_digest(secret), created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )  # fmt: skip
    return token, secret


def token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied("Only a token's owner revokes it.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_user(secret: str) -> User | None:
    """The person a secret acts for; None when it is unknown, revoked or expired, or its owner
    may no longer sign in."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at=None)
        .first()
    )
    now = clock.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
