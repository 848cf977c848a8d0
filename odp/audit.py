"""The audit trail: every create, update, delete and state change of a domain record.

Models opt in with ``@audited``; their saves and deletes are recorded by signal, with the field values
before and after. The actor is the signed-in user of the web request (set by ``AuditActorMiddleware``) or
whoever a service or task names with ``acting_as``. Services record state changes with ``record``.
Bulk operations (``bulk_create``, ``QuerySet.update``) bypass signals: services that use them call
``record`` themselves."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models
from django.db.models.signals import post_delete, post_init, post_save
from django.http import HttpRequest, HttpResponse

from odp.models import AuditEvent, User

_actor: ContextVar[User | None] = ContextVar("audit_actor", default=None)
_audited_models: set[type[models.Model]] = set()
_INITIAL = "_audit_initial"
# Never copied into the trail: secrets and noise.
_SKIP_FIELDS = {"password", "last_login"}

M = TypeVar("M", bound=type[models.Model])


def audited(model: M) -> M:
    """Class decorator: record every save and delete of this model."""
    _audited_models.add(model)
    # Connected per model: every instance of every other model (thousands a page) is then built without a call.
    post_init.connect(_remember_initial, sender=model, dispatch_uid=f"odp.audit.initial.{_label(model)}")
    return model


def current_actor() -> User | None:
    return _actor.get()


@contextlib.contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def _label(obj: models.Model | type[models.Model]) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _snapshot(obj: models.Model) -> dict[str, Any]:
    deferred = obj.get_deferred_fields()
    return {
        f.attname: _jsonable(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.attname not in deferred and f.name not in _SKIP_FIELDS
    }


def record(
    *,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
    actor: User | None = None,
) -> AuditEvent:
    """Write one audit event. Call inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None else current_actor(),
        action=action,
        object_type=_label(obj),
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:200],
        changes=changes or {},
        note=note,
    )


@functools.cache
def _tracked_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.name not in _SKIP_FIELDS)


def _initial_values(obj: models.Model) -> dict[str, Any]:
    """The loaded values as they are (a deferred field is not in ``__dict__``), made JSON-ready only when a save
    compares them: most loaded instances are never saved. Lists and dicts are copied now, because code may change
    them in place before saving."""
    values = obj.__dict__
    return {
        name: _jsonable(values[name]) if isinstance(values[name], list | dict) else values[name]
        for name in _tracked_fields(type(obj))
        if name in values
    }


def _remember_initial(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender in _audited_models:
        setattr(instance, _INITIAL, _initial_values(instance) if instance.pk else {})


def _on_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if sender not in _audited_models or raw:
        return
    after = _snapshot(instance)
    if created:
        record(action=AuditEvent.Action.CREATE, obj=instance, changes={k: [None, v] for k, v in after.items()})
    else:
        before = {k: _jsonable(v) for k, v in getattr(instance, _INITIAL, {}).items()}
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if changes:
            record(action=AuditEvent.Action.UPDATE, obj=instance, changes=changes)
    setattr(instance, _INITIAL, after)


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender in _audited_models:
        before = _snapshot(instance)
        record(action=AuditEvent.Action.DELETE, obj=instance, changes={k: [v, None] for k, v in before.items()})


def connect_signals() -> None:
    post_save.connect(_on_save, dispatch_uid="odp.audit.save")
    post_delete.connect(_on_delete, dispatch_uid="odp.audit.delete")


class AuditActorMiddleware:
    """Makes the signed-in user the actor of every audited change made while serving their request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = getattr(user, "_wrapped", user) if user is not None and user.is_authenticated else None
        with acting_as(actor):
            return self.get_response(request)


def on_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(action=AuditEvent.Action.SIGN_IN, obj=user, actor=user)


def on_sign_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(action=AuditEvent.Action.SIGN_OUT, obj=user, actor=user)
