"""Every write to user accounts. Each function is an audited ``@service``."""

from __future__ import annotations

from django.contrib.auth import password_validation

from apps.accounts.models import User
from apps.core.audit import record_event, service, snapshot
from apps.organizations.models import Unit

# What the audit trail keeps of an account: never the password or its hash.
USER_FIELDS = (
    "username",
    "full_name",
    "unit",
    "role",
    "job_title",
    "is_staff",
    "is_superuser",
    "is_active",
)


@service
def user_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str,
    unit: Unit | None,
    role: str,
    job_title: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create an account. The password must pass the configured password validators."""
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        unit=unit,
        role=role,
        job_title=job_title.strip(),
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    record_event(actor=actor, action="user.create", obj=user, after=snapshot(user, USER_FIELDS))
    return user
