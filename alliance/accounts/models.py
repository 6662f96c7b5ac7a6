from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from alliance.accounts.roles import DISTRICT_ROLES, STATE_ROLES, Role


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships, not from flags here."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """One role held by one person; district roles name the district they apply to."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "registry.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_district_roles_name_a_district",
                condition=(
                    Q(role__in=sorted(r.value for r in DISTRICT_ROLES), district__isnull=False)
                    | Q(role__in=sorted(r.value for r in STATE_ROLES), district__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"], name="membership_unique_district_role"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(district__isnull=True),
                name="membership_unique_state_role",
            ),
        ]
        ordering = ["role"]

    def __str__(self) -> str:
        where = f" ({self.district})" if self.district_id else ""
        return f"{self.user}: {self.get_role_display()}{where}"


class ApiToken(models.Model):
    """A personal key for the REST API: it acts as its owner, with the owner's roles. Only a digest
    of the secret is kept; the secret is shown once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, help_text="What the token is for, in the owner's words."
    )
    prefix = models.CharField(max_length=12, help_text="The secret's first characters, to tell it.")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, hex
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
