"""The write layer's audit mechanism.

Every function that changes data is a *service*, declared with ``@service``. A service runs in one
transaction and must record at least one ``AuditEvent`` through ``record_event`` (or declare that it
changed nothing with ``no_change()``); otherwise the transaction is rolled back and
``AuditMissingError`` is raised. The registry of services lets a test walk them all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from apps.core.context import client_ip
from apps.core.models import AuditEvent

F = TypeVar("F", bound=Callable[..., Any])

SERVICE_REGISTRY: dict[str, Callable[..., Any]] = {}


class AuditMissingError(RuntimeError):
    """A service finished without recording what it did."""


class _Frame:
    __slots__ = ("events", "declared_no_change")

    def __init__(self) -> None:
        self.events = 0
        self.declared_no_change = False


_frames: ContextVar[tuple[_Frame, ...]] = ContextVar("audit_frames", default=())


def service(func: F) -> F:
    """Declare a write service: atomic, audited, registered."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        frame = _Frame()
        token = _frames.set((*_frames.get(), frame))
        try:
            with transaction.atomic():
                result = func(*args, **kwargs)
                if not frame.events and not frame.declared_no_change:
                    raise AuditMissingError(
                        f"{func.__module__}.{func.__qualname__} recorded no audit event"
                    )
        finally:
            _frames.reset(token)
        return result

    wrapper.is_service = True  # type: ignore[attr-defined]
    SERVICE_REGISTRY[f"{func.__module__}.{func.__qualname__}"] = wrapper
    return wrapper  # type: ignore[return-value]


def no_change() -> None:
    """Tell the running service that, this time, it had nothing to change."""
    for frame in _frames.get():
        frame.declared_no_change = True


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-safe values (foreign keys as id + name)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            related = getattr(obj, name)
            data[name] = jsonable(related) if related is not None else None
        else:
            data[name] = jsonable(getattr(obj, name))
    return data


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Record one audit event in the current transaction. Only services call this."""
    frames = _frames.get()
    if not frames:
        raise AuditMissingError("record_event() called outside a @service")
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=user,
        actor_repr=(user.get_username() if user else "system")[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        before=jsonable(before),
        after=jsonable(after),
        client_ip=client_ip.get(),
    )
    for frame in frames:
        frame.events += 1
    return event
