"""REST API for movements (under their term) and review periods, with reopening and the per-unit
submission overview.

Same shape as the pact API: permission first (``access_*``), then parse with an input serializer,
call one service with ``actor=request.user``, answer with an output serializer.

- ``/api/terms/{term}/movements/``: list (``q`` diacritic-insensitive, ``launched_by`` a unit id
  or ``cluster``, ``participant``), create; ``…/{id}/``: read, PATCH, DELETE.
- ``/api/review-periods/`` (filter ``term``): list, create; ``…/{id}/``: read, PATCH, DELETE;
  ``…/{id}/reopen/`` (POST); ``…/{id}/overview/`` (GET, ``on`` optional).
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_movement,
    access_review_period,
    access_term_movements,
    access_term_reviews,
    can_launch_movement,
    movement_launchers,
    require_signed_in,
)
from apps.emulation import selectors, services
from apps.emulation.choices import PeriodKind
from apps.emulation.forms_reviews import MovementFilter
from apps.emulation.models import Criterion, Movement, PeriodReopening, ReviewPeriod
from apps.emulation.selectors.reviews import AssessmentStatus, PeriodState, Punctuality
from apps.organizations.api.fields import DateField, EnumChoiceField, IdField
from apps.organizations.api.serializers import UnitRefSerializer
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)
from apps.organizations.models import ClusterTerm, Unit

# --- serializers ---------------------------------------------------------------------------------


class CriterionRefSerializer(serializers.ModelSerializer):
    group_code = serializers.CharField(source="group.code", read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "group_code", "title", "max_points"]


class MovementQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, help_text=gettext_lazy("Search; diacritics and case do not matter.")
    )
    launched_by = serializers.CharField(
        required=False, help_text=gettext_lazy('A member unit\'s id, or "cluster".')
    )
    participant = serializers.IntegerField(
        required=False, help_text=gettext_lazy("A participating unit's id.")
    )


class MovementOutputSerializer(serializers.ModelSerializer):
    launched_by = UnitRefSerializer(read_only=True, allow_null=True)
    participants = UnitRefSerializer(many=True, read_only=True)
    criteria = CriterionRefSerializer(many=True, read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "term",
            "launched_by",
            "name",
            "slogan",
            "starts_on",
            "ends_on",
            "description",
            "participants",
            "criteria",
            "created_at",
            "updated_at",
        ]


class MovementUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    slogan = serializers.CharField(max_length=300, required=False, allow_blank=True)
    starts_on = DateField()
    ends_on = DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    participants = serializers.ListField(child=IdField(queryset=Unit.objects.all()), required=False)
    criteria = serializers.ListField(
        child=IdField(queryset=Criterion.objects.all()), required=False
    )


class MovementInputSerializer(MovementUpdateInputSerializer):
    launched_by = IdField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "A member unit, or null for the cluster itself. Left out: the caller's own unit when "
            "they work for a member unit, otherwise the cluster."
        ),
    )


class ReopeningOutputSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PeriodReopening
        fields = ["id", "unit", "until", "reason", "created_by", "created_at"]


class ReviewPeriodOutputSerializer(serializers.ModelSerializer):
    kind = EnumChoiceField(PeriodKind, read_only=True)
    panel = UnitRefSerializer(many=True, read_only=True)
    reopenings = ReopeningOutputSerializer(many=True, read_only=True)
    state = serializers.SerializerMethodField(
        help_text=gettext_lazy("The period's own state today (reopenings are per unit).")
    )

    class Meta:
        model = ReviewPeriod
        fields = [
            "id",
            "term",
            "kind",
            "opens_on",
            "deadline",
            "flag_margin",
            "panel",
            "state",
            "ranking_published_at",
            "reopenings",
        ]

    def get_state(self, period) -> str:
        return selectors.period_status(period, None).state


class ReviewPeriodUpdateInputSerializer(serializers.Serializer):
    kind = EnumChoiceField(PeriodKind)
    opens_on = DateField()
    deadline = DateField()
    flag_margin = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    panel = serializers.ListField(
        child=IdField(queryset=Unit.objects.all()),
        required=False,
        help_text=gettext_lazy("Member units; left out on creation: the leader and deputies."),
    )


class ReviewPeriodInputSerializer(ReviewPeriodUpdateInputSerializer):
    term = IdField(queryset=ClusterTerm.objects.all(), label=gettext_lazy("Term"))


class ReopenInputSerializer(serializers.Serializer):
    unit = IdField(queryset=Unit.objects.all())
    until = DateField(help_text=gettext_lazy("The last day the unit may submit (inclusive)."))
    reason = serializers.CharField()


class OverviewQuerySerializer(serializers.Serializer):
    on = DateField(
        required=False,
        help_text=gettext_lazy("The day asked about (YYYY-MM-DD); today when left out."),
    )


class OverviewRowSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    role = serializers.CharField()
    state = serializers.ChoiceField(choices=AssessmentStatus.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)
    punctuality = serializers.ChoiceField(choices=Punctuality.choices)
    period_state = serializers.ChoiceField(choices=PeriodState.choices, source="status.state")
    reopened_until = serializers.DateField(
        source="status.reopening.until", allow_null=True, default=None
    )


class OverviewCountsSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    pending = serializers.IntegerField()
    none = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    on = serializers.DateField()
    counts = OverviewCountsSerializer()
    rows = OverviewRowSerializer(many=True)


def _write(request_serializer, code=200, output=ReviewPeriodOutputSerializer):
    return extend_schema(
        request=request_serializer,
        responses={code: output, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND},
    )


# --- movements -----------------------------------------------------------------------------------


def _movement(movement) -> dict:
    return MovementOutputSerializer(selectors.movement_detail(pk=movement.pk)).data


class MovementViewSet(_ApiViewSet):
    """The movements of a cluster term: every member's and the cluster's own."""

    serializer_class = MovementOutputSerializer
    filterset_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no term
            return Movement.objects.none()
        return Movement.objects.filter(term_id=self.kwargs["term_pk"])

    @extend_schema(parameters=[MovementQuerySerializer])
    def list(self, request, term_pk):
        term = access_term_movements(request.user, term_pk)
        filterset = MovementFilter(
            request.query_params, queryset=selectors.movement_list(term=term), term=term
        )
        if not filterset.is_valid():
            return Response(filterset.errors, status=status.HTTP_400_BAD_REQUEST)
        page = self.paginate_queryset(filterset.qs.prefetch_related("criteria__group"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, term_pk, pk):
        movement = self._movement(request, term_pk, pk)
        return Response(_movement(movement))

    @_write(MovementInputSerializer, 201, MovementOutputSerializer)
    def create(self, request, term_pk):
        """Launch a movement in the name of a member unit (its staff) or of the cluster (the
        secretariat); central officers may do both."""
        term = access_term_movements(request.user, term_pk, action="create")
        data = dict(_parse(MovementInputSerializer, request.data))
        if "launched_by" in data:
            launched_by = data.pop("launched_by")
        else:
            launchers = movement_launchers(request.user, term)
            own = [u for u in launchers if u is not None and u.pk == request.user.unit_id]
            launched_by = own[0] if own else None
        if not can_launch_movement(request.user, term, launched_by):
            raise PermissionDenied(
                _("You may not launch a movement in the name of %(who)s.")
                % {"who": launched_by or _("the cluster")}
            )
        movement = services.movement_create(
            actor=request.user, term=term, launched_by=launched_by, **data
        )
        return Response(_movement(movement), status=status.HTTP_201_CREATED)

    def _movement(self, request, term_pk, pk, action="view"):
        movement = access_movement(request.user, pk, action=action)
        if str(movement.term_id) != str(term_pk):
            return get_object_or_404(Movement, pk=-1)
        return movement

    @_write(MovementUpdateInputSerializer, 200, MovementOutputSerializer)
    def partial_update(self, request, term_pk, pk):
        movement = self._movement(request, term_pk, pk, action="edit")
        changes = _parse(MovementUpdateInputSerializer, request.data, partial=True)
        movement = services.movement_update(actor=request.user, movement=movement, **changes)
        return Response(_movement(movement))

    @extend_schema(responses={204: None, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND})
    def destroy(self, request, term_pk, pk):
        movement = self._movement(request, term_pk, pk, action="edit")
        services.movement_delete(actor=request.user, movement=movement)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- review periods ------------------------------------------------------------------------------


class ReviewPeriodFilter(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Term"), queryset=ClusterTerm.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=PeriodKind.choices)

    class Meta:
        model = ReviewPeriod
        fields = ["term", "kind"]


def _period(period) -> dict:
    return ReviewPeriodOutputSerializer(selectors.review_period_detail(pk=period.pk)).data


class ReviewPeriodViewSet(_ApiViewSet):
    """Mid-year and year-end review periods of the terms (filter by ``term``)."""

    serializer_class = ReviewPeriodOutputSerializer
    filterset_class = ReviewPeriodFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.review_period_list()

    def list(self, request):
        require_signed_in(request.user)
        return super().list(request)

    @extend_schema(responses={200: ReviewPeriodOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_period(access_review_period(request.user, pk)))

    @_write(ReviewPeriodInputSerializer, 201)
    def create(self, request):
        """Add a term's mid-year or year-end review (the term's secretariat or central officers)."""
        require_signed_in(request.user)
        data = dict(_parse(ReviewPeriodInputSerializer, request.data))
        term = access_term_reviews(request.user, data.pop("term").pk, action="create")
        period = services.review_period_create(actor=request.user, term=term, **data)
        return Response(_period(period), status=status.HTTP_201_CREATED)

    @_write(ReviewPeriodUpdateInputSerializer)
    def partial_update(self, request, pk):
        """Change kind, dates, margin or panel; kind and dates are frozen once the ranking is
        published."""
        period = access_review_period(request.user, pk, action="edit")
        changes = _parse(ReviewPeriodUpdateInputSerializer, request.data, partial=True)
        period = services.review_period_update(actor=request.user, period=period, **changes)
        return Response(_period(period))

    @extend_schema(responses={204: None, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND})
    def destroy(self, request, pk):
        """Delete a period nothing depends on yet."""
        period = access_review_period(request.user, pk, action="edit")
        services.review_period_delete(actor=request.user, period=period)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @_write(ReopenInputSerializer, 201, ReopeningOutputSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reopen(self, request, pk):
        """Reopen a period past its deadline for one member unit, until a day, with a reason."""
        period = access_review_period(request.user, pk, action="reopen")
        data = _parse(ReopenInputSerializer, request.data)
        reopening = services.review_period_reopen(actor=request.user, period=period, **data)
        return Response(ReopeningOutputSerializer(reopening).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OverviewQuerySerializer],
        responses={200: OverviewSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def overview(self, request, pk):
        """Per member unit: self-assessment state, submission time, on time / late / missing."""
        period = access_review_period(request.user, pk)
        on = _parse(OverviewQuerySerializer, request.query_params).get("on") or timezone.localdate()
        period = selectors.review_period_detail(pk=period.pk)
        rows = selectors.submission_overview(period, on=on)
        data = {
            "period": period.pk,
            "on": on,
            "counts": selectors.overview_counts(rows),
            "rows": rows,
        }
        return Response(OverviewSerializer(data).data)
