"""REST API of cross-scoring, reconciliation and the ranking, with the pages' permissions.

- ``/api/score-sheets/?period=`` list (the caller's unit's sheets; every sheet for the
  secretariat), ``POST`` start one ``{period, target}``, ``GET /{id}/``, ``POST /{id}/submit/``;
- ``PATCH /api/scores/{id}/`` ``{points, comment, version}``: a line of a draft sheet, saved only
  over the version it was read at; otherwise **409** with the saved line and who saved it;
- ``/api/scoring/{period}/``: ``reconciliation/``, ``final-scores/`` (POST), ``ranking/``,
  ``ranking/export/`` (the Excel file), ``publish/`` (POST).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_period_scoring,
    access_score,
    access_score_sheet,
    can_run_scoring,
    require_signed_in,
)
from apps.emulation import selectors, services
from apps.emulation.choices import CriterionKind, ScoringMethod, SheetState
from apps.emulation.exports import ranking_filename, ranking_workbook
from apps.emulation.models import Criterion, ReviewPeriod, Score, ScoreSheet
from apps.emulation.services.scoring import ScoreConflict
from apps.organizations.api.fields import EnumChoiceField, IdField
from apps.organizations.api.serializers import UnitRefSerializer
from apps.organizations.api.views import FORBIDDEN, ID_REGEX, NOT_FOUND, VALIDATION_ERROR, _parse
from apps.organizations.models import Unit

__all__ = ["ScoreSheetViewSet", "ScoreViewSet", "ScoringViewSet"]

POINTS = {"max_digits": 8, "decimal_places": 2}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONFLICT = OpenApiResponse(
    description=_("Someone saved the line since the version sent: the saved line and a message.")
)


class XlsxRenderer(BaseRenderer):
    """Lets a client ask for the workbook by its type; errors still come as JSON."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


# --- serializers -------------------------------------------------------------------------------


class ScoreOutputSerializer(serializers.ModelSerializer):
    criterion_title = serializers.CharField(source="criterion.title", read_only=True)
    max_points = serializers.DecimalField(source="criterion.max_points", read_only=True, **POINTS)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Score
        fields = [
            "id",
            "criterion",
            "criterion_title",
            "max_points",
            "points",
            "comment",
            "version",
            "updated_by",
            "updated_at",
        ]


class ScoreSheetListOutputSerializer(serializers.ModelSerializer):
    scorer = UnitRefSerializer(read_only=True)
    target = UnitRefSerializer(read_only=True)
    state = EnumChoiceField(SheetState, read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ScoreSheet
        fields = ["id", "period", "scorer", "target", "state", "submitted_at", "submitted_by"]


class ScoreSheetOutputSerializer(ScoreSheetListOutputSerializer):
    scores = serializers.SerializerMethodField()

    class Meta(ScoreSheetListOutputSerializer.Meta):
        fields = [*ScoreSheetListOutputSerializer.Meta.fields, "scores"]

    @extend_schema_field(ScoreOutputSerializer(many=True))
    def get_scores(self, sheet) -> list[dict]:
        scores = sheet.scores.select_related("criterion", "updated_by").order_by(
            "criterion__group__position", "criterion__position", "criterion_id"
        )
        return ScoreOutputSerializer(scores, many=True).data


class ScoreSheetInputSerializer(serializers.Serializer):
    period = IdField(queryset=ReviewPeriod.objects.all(), label=_("Review period"))
    target = IdField(queryset=Unit.objects.all(), label=_("Unit to score"))


class ScoreInputSerializer(serializers.Serializer):
    points = serializers.DecimalField(required=False, allow_null=True, **POINTS)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(min_value=0)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ScoreOutputSerializer()


class ColumnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    kind = EnumChoiceField(CriterionKind)
    method = EnumChoiceField(ScoringMethod)
    max_points = serializers.DecimalField(**POINTS)


class ReconScoreSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    points = serializers.DecimalField(**POINTS)
    deviation = serializers.DecimalField(max_digits=10, decimal_places=2)
    flagged = serializers.BooleanField()


class FinalScoreOutputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    criterion = serializers.IntegerField(source="criterion_id")
    points = serializers.DecimalField(**POINTS)
    computed = serializers.DecimalField(allow_null=True, **POINTS)
    reason = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True)
    decided_at = serializers.DateTimeField()


class ReconLineSerializer(serializers.Serializer):
    criterion = ColumnSerializer(source="column")
    self_points = serializers.DecimalField(allow_null=True, **POINTS)
    scores = ReconScoreSerializer(many=True)
    mean = serializers.DecimalField(allow_null=True, **POINTS)
    spread = serializers.DecimalField(allow_null=True, **POINTS)
    computed = serializers.DecimalField(allow_null=True, **POINTS)
    margin = serializers.DecimalField(**POINTS)
    self_flag = serializers.BooleanField()
    expected_scorers = serializers.IntegerField()
    final = FinalScoreOutputSerializer(allow_null=True)
    final_is_stale = serializers.BooleanField()
    counted = serializers.DecimalField(allow_null=True, **POINTS)


class ReconUnitSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    assessment_submitted = serializers.BooleanField()
    sheets_expected = serializers.IntegerField()
    sheets_submitted = serializers.IntegerField()
    flags = serializers.IntegerField()
    lines = ReconLineSerializer(many=True)


class ReconciliationSerializer(serializers.Serializer):
    period = serializers.IntegerField(source="period.pk")
    flag_margin = serializers.DecimalField(
        source="period.flag_margin", max_digits=5, decimal_places=2
    )
    units = ReconUnitSerializer(many=True)


class FinalScoreInputSerializer(serializers.Serializer):
    unit = IdField(queryset=Unit.objects.all(), label=_("Unit"))
    criterion = IdField(queryset=Criterion.objects.all(), label=_("Criterion"))
    points = serializers.DecimalField(allow_null=True, **POINTS)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ScorerPointsSerializer(serializers.Serializer):
    unit_name = serializers.CharField()
    points = serializers.DecimalField(**POINTS)

    def to_representation(self, instance):
        name, points = instance
        return super().to_representation({"unit_name": name, "points": points})


class RankingLineSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="column.id")
    code = serializers.CharField(source="column.code")
    points = serializers.DecimalField(**POINTS)
    source = serializers.ChoiceField(choices=["self", "mean", "final", "missing"])
    source_text = serializers.CharField()
    scorer_count = serializers.IntegerField()
    computed = serializers.DecimalField(allow_null=True, **POINTS)
    self_points = serializers.DecimalField(allow_null=True, **POINTS)
    reason = serializers.CharField()
    capped = serializers.BooleanField()
    scorers = ScorerPointsSerializer(many=True)


class TieSerializer(serializers.Serializer):
    other = serializers.CharField()
    relation = serializers.ChoiceField(choices=["above", "below"])
    key = serializers.CharField(allow_null=True)
    key_label = serializers.CharField()


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = UnitRefSerializer()
    criteria_points = serializers.DecimalField(max_digits=10, decimal_places=2)
    bonus_points = serializers.DecimalField(max_digits=10, decimal_places=2)
    penalty_points = serializers.DecimalField(max_digits=10, decimal_places=2)
    total = serializers.DecimalField(max_digits=10, decimal_places=2)
    criteria_at_maximum = serializers.IntegerField()
    good_practices = serializers.DecimalField(max_digits=16, decimal_places=2)
    ties = TieSerializer(source="tie_notes", many=True)
    lines = RankingLineSerializer(many=True)


class RankingSerializer(serializers.Serializer):
    period = serializers.IntegerField(source="period.pk")
    published = serializers.BooleanField()
    published_at = serializers.DateTimeField(source="period.ranking_published_at", allow_null=True)
    tie_break = serializers.ListField(child=serializers.CharField())
    columns = ColumnSerializer(many=True)
    rows = RankingRowSerializer(many=True)


# --- views -------------------------------------------------------------------------------------


def _sheet(sheet) -> dict:
    sheet = ScoreSheet.objects.select_related("scorer", "target", "submitted_by").get(pk=sheet.pk)
    return ScoreSheetOutputSerializer(sheet).data


class ScoreSheetViewSet(viewsets.GenericViewSet):
    """Score sheets of a review period (one per scoring unit and scored unit)."""

    serializer_class = ScoreSheetListOutputSerializer
    queryset = ScoreSheet.objects.none()
    lookup_value_regex = ID_REGEX
    filterset_class = None
    pagination_class = None
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        parameters=[OpenApiParameter("period", int, required=True)],
        responses={200: ScoreSheetListOutputSerializer(many=True), 400: VALIDATION_ERROR},
    )
    def list(self, request):
        """The caller's unit's sheets of ``period``; every sheet for the secretariat."""
        require_signed_in(request.user)
        period_id = request.query_params.get("period", "")
        if not period_id.isdigit():
            raise ApiValidationError({"period": [_("Give the review period (its number).")]})
        period = access_period_scoring(request.user, period_id)
        sheets = ScoreSheet.objects.filter(period=period).select_related(
            "scorer", "target", "submitted_by"
        )
        if not can_run_scoring(request.user, period.term):
            sheets = sheets.filter(scorer_id=request.user.unit_id)
        sheets = sheets.order_by("scorer__sort_key", "target__sort_key")
        return Response(ScoreSheetListOutputSerializer(sheets, many=True).data)

    @extend_schema(
        request=ScoreSheetInputSerializer,
        responses={
            201: ScoreSheetOutputSerializer,
            200: ScoreSheetOutputSerializer,
            400: VALIDATION_ERROR,
            403: FORBIDDEN,
        },
    )
    def create(self, request):
        """Start the caller's unit's sheet for ``target`` (200 with the sheet when it exists)."""
        require_signed_in(request.user)
        data = _parse(ScoreSheetInputSerializer, request.data)
        period = access_period_scoring(request.user, data["period"].pk, action="score")
        existed = ScoreSheet.objects.filter(
            period=period, scorer_id=request.user.unit_id, target=data["target"]
        ).exists()
        sheet = services.score_sheet_start(
            actor=request.user, period=period, scorer=request.user.unit, target=data["target"]
        )
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(_sheet(sheet), status=code)

    @extend_schema(responses={200: ScoreSheetOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_sheet(access_score_sheet(request.user, pk)))

    @extend_schema(
        request=None,
        responses={200: ScoreSheetOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk):
        """Draft → submitted (the scoring unit's leader); every line needs its points."""
        sheet = access_score_sheet(request.user, pk, action="submit")
        return Response(_sheet(services.score_sheet_submit(actor=request.user, sheet=sheet)))


class ScoreViewSet(viewsets.GenericViewSet):
    """One line of a score sheet."""

    serializer_class = ScoreOutputSerializer
    queryset = Score.objects.none()
    lookup_value_regex = ID_REGEX
    filterset_class = None
    http_method_names = ["patch", "options"]

    @extend_schema(
        request=ScoreInputSerializer,
        responses={
            200: ScoreOutputSerializer,
            400: VALIDATION_ERROR,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: ConflictSerializer,
        },
    )
    def partial_update(self, request, pk):
        """Save points and/or comment over ``version`` (the version read). ``points`` null
        empties the line; left out, it keeps the points."""
        score = access_score(request.user, pk, action="edit")
        data = _parse(ScoreInputSerializer, request.data)
        changes = {}
        if "points" in data:
            changes["points"] = data["points"]
        if "comment" in data:
            changes["comment"] = data["comment"]
        try:
            saved = services.score_update(
                actor=request.user, score=score, version=data["version"], **changes
            )
        except ScoreConflict as conflict:
            current = Score.objects.select_related("criterion", "updated_by").get(pk=score.pk)
            return Response(
                {"detail": conflict.messages[0], "current": ScoreOutputSerializer(current).data},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(ScoreOutputSerializer(saved).data)


class ScoringViewSet(viewsets.GenericViewSet):
    """Reconciliation, final scores and the ranking of a review period (``{id}`` is the
    period's)."""

    queryset = ReviewPeriod.objects.none()
    serializer_class = RankingSerializer
    lookup_value_regex = ID_REGEX
    filterset_class = None
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=False)],
        responses={200: ReconciliationSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def reconciliation(self, request, pk):
        """Per unit and criterion: self points, every submitted score, mean, spread, flags and
        the final score (the secretariat and central officers). ``?unit=`` keeps one unit."""
        period = access_period_scoring(request.user, pk, action="run")
        recon = selectors.reconciliation(period=period)
        unit = request.query_params.get("unit", "")
        if unit.isdigit():
            recon.units = [u for u in recon.units if u.unit.pk == int(unit)]
        return Response(ReconciliationSerializer(recon).data)

    @extend_schema(
        request=FinalScoreInputSerializer,
        responses={200: FinalScoreOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], url_path="final-scores", url_name="final-score")
    def final_score(self, request, pk):
        """Record the final score of a unit for a criterion; ``reason`` is required when it
        differs from the computed score."""
        period = access_period_scoring(request.user, pk, action="run")
        data = _parse(FinalScoreInputSerializer, request.data)
        final = services.final_score_set(actor=request.user, period=period, **data)
        return Response(FinalScoreOutputSerializer(final).data)

    @extend_schema(responses={200: RankingSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk):
        """The ranking explained line by line: live for the secretariat before publication,
        the frozen one for every signed-in user after."""
        period = access_period_scoring(request.user, pk, action="ranking")
        return Response(RankingSerializer(selectors.ranking_for(period=period)).data)

    @extend_schema(
        responses={(200, XLSX): OpenApiTypes.BINARY, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="ranking/export",
        url_name="ranking-export",
        renderer_classes=[JSONRenderer, XlsxRenderer],
    )
    def ranking_export(self, request, pk):
        """The ranking as an Excel workbook."""
        period = access_period_scoring(request.user, pk, action="ranking")
        response = HttpResponse(
            ranking_workbook(selectors.ranking_for(period=period)), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="{ranking_filename(period)}"'
        return response

    @extend_schema(
        request=None, responses={200: RankingSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk):
        """Freeze and publish the ranking (refused, listing what is missing, until every
        self-assessment and every expected score sheet is submitted)."""
        period = access_period_scoring(request.user, pk, action="run")
        period = services.ranking_publish(actor=request.user, period=period)
        return Response(RankingSerializer(selectors.ranking_for(period=period)).data)
