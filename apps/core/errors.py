"""Helpers for turning service errors into form errors."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to a bound form, field by field where it can."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


__all__ = ["NON_FIELD_ERRORS", "add_service_errors"]
