"""REST API of the self-assessment, with the page's permissions.

- ``/api/assessments/`` (filters ``period``, ``unit``, ``state``): the assessments the caller may
  read; POST ``{period, unit}`` opens (first time: creates) the unit's assessment — 201 when
  created, 200 when it existed.
- ``/api/assessments/{id}/``: the assessment with its lines, evidence, indicators and totals;
  ``…/indicators/`` (POST) sets indicator values; ``…/submit/`` (POST) submits.
- ``/api/assessments/{id}/items/{item}/``: GET, PATCH ``{version, points?, explanation?}`` —
  409 with the stored line when ``version`` is stale.
- ``/api/assessments/{id}/evidence/``: list; POST multipart ``{item, file}`` (or JSON
  ``{item, file_name, content_base64}``); ``…/{evidence}/`` GET, DELETE; ``…/download/`` the file.

Permission first (``access_*``), then parse, then one service with ``actor=request.user``.
"""

from __future__ import annotations

import base64
import binascii

import django_filters
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_assessment,
    access_assessment_item,
    access_evidence,
    access_unit_assessment,
    readable_assessments,
    require_signed_in,
)
from apps.emulation import selectors, services
from apps.emulation.choices import CriterionKind, IndicatorMeasure, ScoringMethod, SheetState
from apps.emulation.evidence import max_file_bytes
from apps.emulation.models import Assessment, AssessmentItem, Criterion, Evidence, ReviewPeriod
from apps.emulation.services.assessment import UNSET, AssessmentItemConflict
from apps.organizations.api.fields import EnumChoiceField, IdField
from apps.organizations.api.serializers import UnitRefSerializer
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)
from apps.organizations.models import Unit

POINTS_IN = {"max_digits": 12, "decimal_places": 6}  # the service refuses a third decimal
POINTS_OUT = {"max_digits": 6, "decimal_places": 2}

# --- serializers ---------------------------------------------------------------------------------


class AssessmentCriterionSerializer(serializers.ModelSerializer):
    group_code = serializers.CharField(source="group.code", read_only=True)
    group_title = serializers.CharField(source="group.title", read_only=True)
    kind = EnumChoiceField(CriterionKind, read_only=True)
    scoring_method = EnumChoiceField(ScoringMethod, read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "group_code",
            "group_title",
            "title",
            "kind",
            "max_points",
            "scoring_method",
            "guidance",
            "evidence_required",
        ]


class EvidenceOutputSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "item",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, evidence) -> str:
        return reverse(
            "assessment-evidence-download",
            args=[evidence.item.assessment_id, evidence.pk],
        )


class AssessmentItemOutputSerializer(serializers.ModelSerializer):
    criterion = AssessmentCriterionSerializer(read_only=True)
    points = serializers.DecimalField(**POINTS_OUT, read_only=True, allow_null=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    updated_by_name = serializers.SerializerMethodField()
    evidence = EvidenceOutputSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentItem
        fields = [
            "id",
            "criterion",
            "points",
            "explanation",
            "version",
            "updated_by",
            "updated_by_name",
            "updated_at",
            "evidence",
        ]

    def get_updated_by_name(self, item) -> str:
        return item.updated_by.get_full_name() if item.updated_by else ""


class AssessmentConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = AssessmentItemOutputSerializer()


class AssessmentTotalsSerializer(serializers.Serializer):
    criteria = serializers.DecimalField(max_digits=8, decimal_places=2)
    bonus = serializers.DecimalField(max_digits=8, decimal_places=2)
    penalty = serializers.DecimalField(max_digits=8, decimal_places=2)
    total = serializers.DecimalField(max_digits=8, decimal_places=2)
    filled = serializers.IntegerField()
    required = serializers.IntegerField()


class AssessmentIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    measure = EnumChoiceField(IndicatorMeasure, source="indicator.measure")
    active = serializers.BooleanField(source="indicator.active")
    value = serializers.DecimalField(
        source="value.value", max_digits=16, decimal_places=2, allow_null=True, default=None
    )
    note = serializers.CharField(source="value.note", default="")


class AssessmentListOutputSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    state = EnumChoiceField(SheetState, read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "period", "unit", "pact", "state", "submitted_at", "submitted_by"]
        fields += ["submitted_late"]


class AssessmentOutputSerializer(AssessmentListOutputSerializer):
    """An assessment with its lines (criterion, points, version, evidence), indicators and the
    running total of the unit's claim."""

    pact_version = serializers.IntegerField(source="pact.version", read_only=True)
    totals = serializers.SerializerMethodField()
    items = AssessmentItemOutputSerializer(many=True, read_only=True)
    indicators = serializers.SerializerMethodField()

    class Meta(AssessmentListOutputSerializer.Meta):
        fields = [*AssessmentListOutputSerializer.Meta.fields, "pact_version", "totals"]
        fields += ["items", "indicators"]

    @extend_schema_field(AssessmentTotalsSerializer)
    def get_totals(self, assessment) -> dict:
        totals = selectors.assessment_totals(items=assessment.items.all())
        return AssessmentTotalsSerializer(
            {
                "criteria": totals.criteria,
                "bonus": totals.bonus,
                "penalty": totals.penalty,
                "total": totals.total,
                "filled": totals.filled,
                "required": totals.required,
            }
        ).data

    @extend_schema_field(AssessmentIndicatorSerializer(many=True))
    def get_indicators(self, assessment) -> list[dict]:
        rows = selectors.assessment_indicator_rows(assessment=assessment)
        return AssessmentIndicatorSerializer(rows, many=True).data


class AssessmentOpenInputSerializer(serializers.Serializer):
    period = IdField(queryset=ReviewPeriod.objects.all(), label=gettext_lazy("Review period"))
    unit = IdField(queryset=Unit.objects.all(), label=gettext_lazy("Unit"))


class AssessmentItemInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, help_text=gettext_lazy("The line's version as you read it.")
    )
    points = serializers.DecimalField(**POINTS_IN, required=False, allow_null=True)
    explanation = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class IndicatorValueInputSerializer(serializers.Serializer):
    indicator = serializers.SlugField(help_text=gettext_lazy("The indicator's code."))
    value = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class IndicatorValuesInputSerializer(serializers.Serializer):
    values = IndicatorValueInputSerializer(many=True)

    def validate_values(self, values):
        codes = [v["indicator"] for v in values]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Each indicator may appear once."))
        return values


class FileUploadSerializer(serializers.Serializer):
    """Either ``file`` (multipart) or ``file_name`` with ``content_base64`` (JSON); validated
    data always carries ``file``. Shared by every API that takes a checked file."""

    file = serializers.FileField(required=False)
    file_name = serializers.CharField(required=False, max_length=255)
    content_base64 = serializers.CharField(required=False, trim_whitespace=True)

    def validate(self, data):
        if data.get("file") is not None:
            return data
        if not data.get("file_name") or not data.get("content_base64"):
            raise serializers.ValidationError(
                {"file": _("Send the file, or its name with its content in base64.")}
            )
        encoded = data["content_base64"]
        if len(encoded) > max_file_bytes() * 4 // 3 + 8:
            # Too big to be within the limit; the service words the refusal with the sizes.
            content = b"\0" * (max_file_bytes() + 1)
        else:
            try:
                content = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise serializers.ValidationError(
                    {"content_base64": _("This is not valid base64.")}
                ) from None
        data["file"] = SimpleUploadedFile(data["file_name"], content)
        return data


class EvidenceInputSerializer(FileUploadSerializer):
    """Either ``file`` (multipart) or ``file_name`` with ``content_base64`` (JSON)."""

    item = IdField(queryset=AssessmentItem.objects.all(), label=gettext_lazy("Line"))


# --- filters -------------------------------------------------------------------------------------


class AssessmentFilter(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period_id", label=gettext_lazy("Period"))
    unit = django_filters.NumberFilter(field_name="unit_id", label=gettext_lazy("Unit"))
    state = django_filters.ChoiceFilter(choices=SheetState.choices, label=gettext_lazy("State"))

    class Meta:
        model = Assessment
        fields = ["period", "unit", "state"]


# --- views ---------------------------------------------------------------------------------------


def _assessment(assessment) -> dict:
    return AssessmentOutputSerializer(selectors.assessment_detail(pk=assessment.pk)).data


def _write(request_serializer, code=200, output=AssessmentOutputSerializer, more=None):
    return extend_schema(
        request=request_serializer,
        responses={
            code: output,
            400: VALIDATION_ERROR,
            403: FORBIDDEN,
            404: NOT_FOUND,
            **(more or {}),
        },
    )


class AssessmentViewSet(_ApiViewSet):
    """Self-assessments of member units for a review period."""

    serializer_class = AssessmentListOutputSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return readable_assessments(self.request.user, selectors.assessment_list())

    def list(self, request):
        require_signed_in(request.user)
        return super().list(request)

    @extend_schema(responses={200: AssessmentOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_assessment(access_assessment(request.user, pk)))

    @_write(AssessmentOpenInputSerializer, 201, more={200: AssessmentOutputSerializer})
    def create(self, request):
        """Open the unit's assessment for the period: created (201) with one line per item of
        the pact in force, or the existing one (200). The unit's officers and leader only."""
        require_signed_in(request.user)
        data = _parse(AssessmentOpenInputSerializer, request.data)
        period, unit, existing = access_unit_assessment(
            request.user, data["period"].pk, data["unit"].pk, action="edit"
        )
        assessment = services.assessment_open(actor=request.user, period=period, unit=unit)
        code = status.HTTP_200_OK if existing is not None else status.HTTP_201_CREATED
        return Response(_assessment(assessment), status=code)

    @_write(None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk):
        """Submit (the unit's leader): every criterion needs points; read-only afterwards."""
        assessment = access_assessment(request.user, pk, action="submit")
        return Response(
            _assessment(services.assessment_submit(actor=request.user, assessment=assessment))
        )

    @_write(IndicatorValuesInputSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def indicators(self, request, pk):
        """Set indicator values by code; a null value removes the indicator's value."""
        assessment = access_assessment(request.user, pk, action="edit")
        data = _parse(IndicatorValuesInputSerializer, request.data)
        values = {v["indicator"]: (v["value"], v.get("note", "")) for v in data["values"]}
        services.indicator_values_set(actor=request.user, assessment=assessment, values=values)
        return Response(_assessment(assessment))


def _in_assessment(obj_assessment_id, assessment_pk) -> None:
    if str(obj_assessment_id) != str(assessment_pk):
        raise Http404


class AssessmentItemViewSet(_ApiViewSet):
    """The lines of an assessment; PATCH saves one over the version it was read at."""

    serializer_class = AssessmentItemOutputSerializer
    filterset_class = None
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no assessment
            return AssessmentItem.objects.none()
        return (
            AssessmentItem.objects.filter(assessment_id=self.kwargs["assessment_pk"])
            .select_related("criterion__group", "updated_by", "assessment")
            .prefetch_related("evidence__uploaded_by")
            .order_by("criterion__group__position", "criterion__position", "criterion_id")
        )

    def list(self, request, assessment_pk):
        access_assessment(request.user, assessment_pk)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, assessment_pk, pk):
        item = access_assessment_item(request.user, pk)
        _in_assessment(item.assessment_id, assessment_pk)
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @_write(
        AssessmentItemInputSerializer,
        200,
        AssessmentItemOutputSerializer,
        more={
            409: OpenApiResponse(
                AssessmentConflictSerializer,
                description=gettext_lazy(
                    "Someone saved the line after you read it: the stored line is returned."
                ),
            )
        },
    )
    def partial_update(self, request, assessment_pk, pk):
        item = access_assessment_item(request.user, pk, action="edit")
        _in_assessment(item.assessment_id, assessment_pk)
        data = _parse(AssessmentItemInputSerializer, request.data)
        try:
            services.assessment_item_update(
                actor=request.user,
                item=item,
                version=data["version"],
                points=data.get("points", UNSET),
                explanation=data.get("explanation", UNSET),
            )
        except AssessmentItemConflict as conflict:
            current = get_object_or_404(self.get_queryset(), pk=pk)
            return Response(
                {"detail": conflict.messages[0], "current": self.get_serializer(current).data},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


class AssessmentEvidenceViewSet(_ApiViewSet):
    """Evidence files of an assessment, checked by content on upload."""

    serializer_class = EvidenceOutputSerializer
    filterset_class = None
    pagination_class = None
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        return (
            Evidence.objects.filter(item__assessment_id=self.kwargs["assessment_pk"])
            .select_related("item", "uploaded_by")
            .order_by("item__criterion__group__position", "item__criterion__position", "id")
        )

    def list(self, request, assessment_pk):
        access_assessment(request.user, assessment_pk)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def _evidence(self, request, assessment_pk, pk, action="view"):
        evidence = access_evidence(request.user, pk, action=action)
        _in_assessment(evidence.item.assessment_id, assessment_pk)
        return evidence

    def retrieve(self, request, assessment_pk, pk):
        return Response(self.get_serializer(self._evidence(request, assessment_pk, pk)).data)

    @_write(EvidenceInputSerializer, 201, EvidenceOutputSerializer)
    def create(self, request, assessment_pk):
        """Attach a file to a line: PDF, Word, Excel, JPEG or PNG, checked by its content."""
        assessment = access_assessment(request.user, assessment_pk, action="edit")
        data = _parse(EvidenceInputSerializer, request.data)
        item = data["item"]
        if item.assessment_id != assessment.pk:
            return Response(
                {"item": [_("This line belongs to another self-assessment.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        evidence = services.evidence_add(actor=request.user, item=item, upload=data["file"])
        return Response(self.get_serializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND})
    def destroy(self, request, assessment_pk, pk):
        evidence = self._evidence(request, assessment_pk, pk, action="edit")
        services.evidence_delete(actor=request.user, evidence=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            403: FORBIDDEN,
            404: NOT_FOUND,
        }
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def download(self, request, assessment_pk, pk):
        """The stored file, under the name it was uploaded with."""
        evidence = self._evidence(request, assessment_pk, pk)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response
