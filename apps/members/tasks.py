"""Background work of the members app (django-tasks; run by ``manage.py db_worker``).

A task takes the import's id, never a model instance, and leaves its outcome on the record: the
pages read progress and results from there, not from the task backend.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task  # Django 6: django.tasks

logger = logging.getLogger(__name__)


def _failed(record, error: Exception) -> None:
    from apps.members.imports import discard

    logger.exception("member import %s failed", record.pk)
    discard(
        record,
        state=type(record).State.FAILED,
        message=_("The file could not be processed (%(error)s). Nothing was imported.")
        % {"error": error.__class__.__name__},
    )


@task()
def check_member_import(import_id: int) -> str:
    """Check the uploaded file: members into the staging table (``imports.stage``),
    organisations line by line (``org_imports.check``)."""
    from apps.members import org_imports
    from apps.members.imports import stage
    from apps.members.models import MemberImport

    record = MemberImport.objects.get(pk=import_id)
    if record.state != MemberImport.State.QUEUED:
        return record.state  # cancelled while it waited
    try:
        if record.kind == MemberImport.Kind.ORGS:
            org_imports.check(record)
        else:
            stage(record)
    except Exception as error:
        _failed(record, error)
        raise
    return MemberImport.objects.values_list("state", flat=True).get(pk=import_id)


@task()
def apply_member_import(import_id: int) -> str:
    """Copy a confirmed import into the member table (``services.member_import_apply``)."""
    from apps.members.models import MemberImport
    from apps.members.services import member_import_apply

    record = MemberImport.objects.get(pk=import_id)
    try:
        record = member_import_apply(record=record)
    except Exception as error:
        _failed(record, error)
        raise
    return record.state
