"""Which objects have a history page, and who may read it.

Apps register their models with the ``access_*`` helper that guards the object's own page; the
history page applies the same check, so history is never more visible than the object.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.urls import reverse

_ACCESS: dict[str, Callable] = {}


def register_history(model: type[models.Model], access: Callable) -> None:
    _ACCESS[model._meta.label_lower] = access


def access_history_object(user, content_type: ContentType, object_id: str):
    access = _ACCESS.get(f"{content_type.app_label}.{content_type.model}")
    if access is None:
        raise Http404
    return access(user, object_id)


def history_url(obj: models.Model) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("core:history", args=[content_type.pk, obj.pk])
