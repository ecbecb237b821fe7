"""Serializer fields shared by the API, with their OpenAPI description.

``DateField`` and ``IdField`` tighten DRF's parsing so that odd input is a 400, never a 500 or a
silent guess. Several models have a ``kind`` with a different choice set (province, unit, cluster). Left alone,
drf-spectacular names those enums by hash and warns; ``EnumChoiceField`` documents each choice set
once, as a component named after its ``TextChoices`` class (``UnitKindEnum``…).
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class EnumChoiceField(serializers.ChoiceField):
    """A choice field taking its choices from a ``TextChoices`` class."""

    def __init__(self, choices_class: type[models.TextChoices], **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class EnumChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumChoiceField

    def map_serializer_field(self, auto_schema, direction):
        choices = self.target.choices_class
        name = f"{choices.__name__}Enum"
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema={
                "type": "string",
                "enum": list(choices.values),
                "description": "\n".join(
                    f"* `{value}` - {label}" for value, label in choices.choices
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


class DateField(serializers.DateField):
    """An ISO date between 1900 and 2100.

    Anything outside is a typo, and the services' date arithmetic (the day before a merger) fails
    at the ends of the calendar.
    """

    default_error_messages = {
        "out_of_range": _("Enter a date between {start} and {end}."),
    }

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            self.fail("out_of_range", start=EARLIEST_DATE.isoformat(), end=LATEST_DATE.isoformat())
        return day


class IdField(serializers.PrimaryKeyRelatedField):
    """A reference by primary key that takes only whole numbers: ``2.5`` or ``true`` is refused
    instead of being read as object 2 or 1."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)
