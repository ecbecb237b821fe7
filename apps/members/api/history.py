"""API of imports (upload, progress, confirm, cancel) and of a member's corrections, dated status
changes and merges: the same permission helpers and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.choices import Role
from apps.accounts.permissions import (
    access_member,
    can_manage_sector,
    member_root_paths,
    require_signed_in,
)
from apps.members import services
from apps.members.api.serializers import MemberOutputSerializer
from apps.members.choices import GapReason, MemberStatus
from apps.members.models import MemberImport
from apps.organizations.api.fields import EnumChoiceField
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)

# --- serializers ---------------------------------------------------------------------------------


class ImportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = EnumChoiceField(MemberImport.Kind)
    original_name = serializers.CharField()
    state = EnumChoiceField(MemberImport.State)
    total = serializers.IntegerField(help_text="Lines in the file (an estimate until checked).")
    done = serializers.IntegerField(help_text="Lines checked so far.")
    percent = serializers.IntegerField()
    rows = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = serializers.ListField(
        child=serializers.DictField(), help_text="The first 1 000: line, column, reason."
    )
    imported = serializers.IntegerField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = EnumChoiceField(MemberImport.Kind, required=False, default=MemberImport.Kind.MEMBERS)


class MemberUpdateSerializer(serializers.Serializer):
    version = serializers.DateTimeField(
        help_text="The record's updated_at when it was read; a record saved since is refused."
    )
    full_name = serializers.CharField(max_length=200, required=False)
    sex = serializers.CharField(max_length=6, required=False)
    birth_date = serializers.DateField(required=False)
    cccd = serializers.CharField(max_length=20, required=False, allow_blank=True)
    ethnicity = serializers.CharField(max_length=50, required=False, allow_blank=True)
    religion = serializers.CharField(max_length=50, required=False, allow_blank=True)
    education = serializers.CharField(max_length=100, required=False, allow_blank=True)
    theory_level = serializers.CharField(max_length=100, required=False, allow_blank=True)
    admitted_on = serializers.DateField(required=False)
    full_member_on = serializers.DateField(required=False, allow_null=True)
    card_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    card_issued_on = serializers.DateField(required=False, allow_null=True)


class StatusInputSerializer(serializers.Serializer):
    status = EnumChoiceField(MemberStatus)
    on = serializers.DateField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    gap_reason = serializers.ChoiceField(
        choices=[c for c in GapReason.values if c != GapReason.TRANSFER],
        required=False,
        allow_blank=True,
        default="",
    )


class StatusOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    member = serializers.IntegerField(source="member_id")
    on = serializers.DateField()
    from_status = EnumChoiceField(MemberStatus)
    to_status = EnumChoiceField(MemberStatus)
    reason = serializers.CharField()


class MemberMergeInputSerializer(serializers.Serializer):
    remove = serializers.IntegerField(help_text="The record merged into this one and removed.")
    reason = serializers.CharField(max_length=300)


class MemberMergeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kept = serializers.IntegerField(source="kept_id")
    removed_id = serializers.IntegerField()
    moved = serializers.DictField()
    reason = serializers.CharField()


# --- imports -------------------------------------------------------------------------------------


def _import_scope(user):
    if can_manage_sector(user):
        return None
    roots = member_root_paths(user)
    if user.role not in {Role.UNIT_LEADER, Role.UNIT_OFFICER} or not roots:
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))
    return roots


class ImportViewSet(_ApiViewSet):
    """Imports of members or organisations: upload (checked in the background), progress,
    confirm, cancel. A user sees their own imports; central officers see all."""

    serializer_class = ImportOutputSerializer
    filterset_class = None
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MemberImport.objects.none()
        require_signed_in(self.request.user)
        _import_scope(self.request.user)
        rows = MemberImport.objects.all()
        if not can_manage_sector(self.request.user):
            rows = rows.filter(uploaded_by=self.request.user)
        return rows

    def _get(self, pk) -> MemberImport:
        _import_scope(self.request.user)
        record = get_object_or_404(MemberImport, pk=pk)
        if record.uploaded_by_id != self.request.user.pk and not can_manage_sector(
            self.request.user
        ):
            raise PermissionDenied(_("This import belongs to another user."))
        return record

    @extend_schema(responses={200: ImportOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(ImportOutputSerializer(self._get(pk)).data)

    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses={201: ImportOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        """Upload a workbook; poll the import until it is ``ok`` (then confirm) or ``bad``."""
        scope = _import_scope(request.user)
        data = _parse(ImportInputSerializer, request.data)
        record = services.member_import_upload(
            actor=request.user,
            upload=data["file"],
            scope_paths=scope,
            original_name=data["file"].name,
            kind=data["kind"],
        )
        record.refresh_from_db()
        return Response(ImportOutputSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ImportOutputSerializer, 400: VALIDATION_ERROR})
    @action(detail=True, methods=["post"], parser_classes=[])
    def confirm(self, request, pk):
        record = services.member_import_confirm(actor=request.user, record=self._get(pk))
        record.refresh_from_db()
        return Response(ImportOutputSerializer(record).data)

    @extend_schema(request=None, responses={200: ImportOutputSerializer, 400: VALIDATION_ERROR})
    @action(detail=True, methods=["post"], parser_classes=[])
    def cancel(self, request, pk):
        record = services.member_import_cancel(actor=request.user, record=self._get(pk))
        return Response(ImportOutputSerializer(record).data)


# --- a member's corrections, status and merges (mixed into MemberViewSet) ------------------------


class MemberHistoryActions:
    @extend_schema(
        request=MemberUpdateSerializer,
        responses={200: MemberOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def partial_update(self, request, pk):
        """Correct a record; send ``version`` (its ``updated_at`` when read)."""
        member = access_member(request.user, pk, action="edit")
        data = dict(_parse(MemberUpdateSerializer, request.data))
        version: dt.datetime = data.pop("version")
        member = services.member_update(
            actor=request.user, member=member, expected_updated_at=version, **data
        )
        return Response(MemberOutputSerializer(member).data)

    @extend_schema(
        request=StatusInputSerializer,
        responses={201: StatusOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk):
        """Change the status from a date (the dated history is kept)."""
        member = access_member(request.user, pk, action="edit")
        data = _parse(StatusInputSerializer, request.data)
        change = services.member_status_change(actor=request.user, member=member, **data)
        return Response(StatusOutputSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MemberMergeInputSerializer,
        responses={201: MemberMergeOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk):
        """Merge record ``remove`` into this one (both in your editable scope)."""
        keep = access_member(request.user, pk, action="edit")
        data = _parse(MemberMergeInputSerializer, request.data)
        remove = access_member(request.user, data["remove"], action="edit")
        merge = services.member_merge(
            actor=request.user, keep=keep, remove=remove, reason=data["reason"]
        )
        return Response(MemberMergeOutputSerializer(merge).data, status=status.HTTP_201_CREATED)
