"""REST API for provinces, units, clusters and cluster terms.

Same shape as the UI views: parse with an input serializer, ask ``apps.accounts.permissions``
(``access_*`` fetches and checks in one call), call one service with ``actor=request.user``, answer
with an output serializer. Reads go through ``apps.organizations.selectors``; list filters are the
filtersets the UI uses. Permission checks come before input validation, so a caller who may not
write learns nothing from the 400s.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_cluster,
    access_term,
    access_unit,
    can_manage_sector,
    require_sector_manager,
    require_signed_in,
)
from apps.organizations import selectors, services
from apps.organizations.api import serializers as s
from apps.organizations.filters import ClusterFilter, ProvinceFilter, TermFilter, UnitFilter
from apps.organizations.models import Cluster, ClusterTerm, Unit

ID_REGEX = r"[0-9]+"
VALIDATION_ERROR = OpenApiResponse(description=gettext_lazy("Invalid input: errors by field."))
FORBIDDEN = OpenApiResponse(description=gettext_lazy("Not signed in, or not allowed to do this."))
NOT_FOUND = OpenApiResponse(description=gettext_lazy("No such object."))


def _parse(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _ApiViewSet(viewsets.GenericViewSet):
    """Lists through a selector and a shared filterset; no PUT unless a viewset allows it."""

    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


# --- provinces -----------------------------------------------------------------------------------


class ProvinceViewSet(_ApiViewSet):
    """Provinces of both schemes with the 2025 merger map (read-only reference data)."""

    serializer_class = s.ProvinceOutputSerializer
    filterset_class = ProvinceFilter
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.province_list()

    def retrieve(self, request, pk):
        require_signed_in(request.user)
        province = self.get_object()
        return Response(self.get_serializer(province).data)


# --- units ---------------------------------------------------------------------------------------


def _unit_detail(unit: Unit) -> dict:
    unit.lineage = selectors.unit_lineage(unit=unit)
    unit.succession = selectors.unit_successor(unit=unit)
    return s.UnitOutputSerializer(unit).data


class UnitViewSet(_ApiViewSet):
    """Units of the sector and their merger history."""

    serializer_class = s.UnitListOutputSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return selectors.unit_list(user=self.request.user)

    @extend_schema(responses={200: s.UnitOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_unit_detail(access_unit(request.user, pk)))

    @extend_schema(
        request=s.UnitInputSerializer,
        responses={201: s.UnitOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        require_sector_manager(request.user)
        data = _parse(s.UnitInputSerializer, request.data)
        unit = services.unit_create(actor=request.user, **data)
        return Response(_unit_detail(unit), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.UnitInputSerializer,
        responses={200: s.UnitOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
        description=gettext_lazy(
            "Sector managers may change every field. A unit leader may change the address, "
            "phone and email of their own unit; sending any other field is refused (403)."
        ),
    )
    def partial_update(self, request, pk):
        sent = set(request.data) if hasattr(request.data, "keys") else set()
        contact_only = sent <= set(services.UNIT_CONTACT_FIELDS) and not can_manage_sector(
            request.user
        )
        unit = access_unit(request.user, pk, action="edit_contact" if contact_only else "edit")
        serializer_class = s.UnitContactInputSerializer if contact_only else s.UnitInputSerializer
        changes = _parse(serializer_class, request.data, partial=True)
        unit = services.unit_update(
            actor=request.user, unit=unit, contact_only=contact_only, **changes
        )
        return Response(_unit_detail(unit))

    @extend_schema(responses={200: s.LineageEntrySerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, pagination_class=None, filterset_class=None)
    def lineage(self, request, pk):
        """Every predecessor of the unit, transitively, nearest first, with merger dates."""
        unit = access_unit(request.user, pk)
        return Response(s.LineageEntrySerializer(selectors.unit_lineage(unit=unit), many=True).data)

    @extend_schema(responses={200: s.UnitClusterMembershipSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, pagination_class=None, filterset_class=None)
    def clusters(self, request, pk):
        """The cluster memberships of the unit and of its predecessors, newest year first."""
        unit = access_unit(request.user, pk)
        rows = selectors.unit_cluster_history(unit=unit)
        return Response(s.UnitClusterMembershipSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[s.UnitForProvinceQuerySerializer],
        responses={200: s.UnitOutputSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    @action(
        detail=False,
        url_path="for-province",
        url_name="for-province",
        pagination_class=None,
        filterset_class=None,
    )
    def for_province(self, request):
        """Which provincial unit stands for a province (of either scheme) on a day."""
        require_signed_in(request.user)
        query = _parse(s.UnitForProvinceQuerySerializer, request.query_params)
        province, day = query["province"], query.get("on") or timezone.localdate()
        unit = selectors.unit_for_province(province=province, on=day)
        if unit is None:
            raise NotFound(
                _("No unit stands for %(province)s on %(date)s.")
                % {"province": province.name, "date": day.strftime("%d/%m/%Y")}
            )
        return Response(_unit_detail(unit))

    @extend_schema(
        request=s.MergeInputSerializer,
        responses={200: s.UnitOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def merge(self, request, pk):
        """Merge the given units into this one on ``effective_date`` (sector managers)."""
        successor = access_unit(request.user, pk, action="edit")
        data = _parse(s.MergeInputSerializer, request.data)
        services.unit_merge(actor=request.user, successor=successor, **data)
        return Response(_unit_detail(Unit.objects.select_related("province").get(pk=successor.pk)))


# --- clusters ------------------------------------------------------------------------------------


def _cluster_detail(cluster: Cluster) -> dict:
    cluster.term_summaries = selectors.cluster_terms(cluster=cluster)
    return s.ClusterOutputSerializer(cluster).data


class ClusterViewSet(_ApiViewSet):
    """Emulation clusters and blocks; their members change by year (see terms)."""

    serializer_class = s.ClusterListOutputSerializer
    filterset_class = ClusterFilter

    def get_queryset(self):
        return selectors.cluster_list()

    @extend_schema(responses={200: s.ClusterOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_cluster_detail(access_cluster(request.user, pk)))

    @extend_schema(
        request=s.ClusterInputSerializer,
        responses={201: s.ClusterOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        require_sector_manager(request.user)
        data = _parse(s.ClusterInputSerializer, request.data)
        cluster = services.cluster_create(actor=request.user, **data)
        return Response(_cluster_detail(cluster), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ClusterInputSerializer,
        responses={200: s.ClusterOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def partial_update(self, request, pk):
        cluster = access_cluster(request.user, pk, action="edit")
        changes = _parse(s.ClusterInputSerializer, request.data, partial=True)
        cluster = services.cluster_update(actor=request.user, cluster=cluster, **changes)
        return Response(_cluster_detail(cluster))


# --- cluster terms -------------------------------------------------------------------------------


def _term_detail(request, term: ClusterTerm) -> dict:
    term = selectors.term_detail(pk=term.pk)
    return s.TermOutputSerializer(term, context={"request": request}).data


class TermViewSet(_ApiViewSet):
    """A cluster in one year: members, leader, deputies, the year-end host and notes."""

    serializer_class = s.TermListOutputSerializer
    filterset_class = TermFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.term_list()

    @extend_schema(responses={200: s.TermOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_term_detail(request, access_term(request.user, pk)))

    @extend_schema(
        request=s.TermInputSerializer,
        responses={201: s.TermOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        require_sector_manager(request.user)
        data = dict(_parse(s.TermInputSerializer, request.data))
        cluster = access_cluster(request.user, data.pop("cluster").pk, action="edit")
        term = services.term_create(actor=request.user, cluster=cluster, **data)
        return Response(_term_detail(request, term), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.TermUpdateInputSerializer,
        responses={200: s.TermOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
        description=gettext_lazy(
            "Replace the members and roles of a term; left-out fields are cleared."
        ),
    )
    def update(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(
        request=s.TermUpdateInputSerializer,
        responses={200: s.TermOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
        description=gettext_lazy("Change some fields of a term; left-out fields keep their value."),
    )
    def partial_update(self, request, pk):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, *, partial: bool):
        term = access_term(request.user, pk, action="edit")
        changes = _parse(s.TermUpdateInputSerializer, request.data, partial=partial)
        term = selectors.term_detail(pk=term.pk)
        current = {
            "members": term.member_units,
            "leader": term.leader,
            "deputies": term.deputies,
            "host": term.host,
            "review_date": term.review_date,
            "notes": term.notes,
        }
        term = services.term_update(actor=request.user, term=term, **{**current, **changes})
        return Response(_term_detail(request, term))

    @extend_schema(
        request=s.TermNotesInputSerializer,
        responses={200: s.TermOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def notes(self, request, pk):
        """Notes, host and review date, kept by the term's cluster secretariat.

        Allowed to leaders and officers of the term's leader and deputy units, and to sector
        managers. Fields left out keep their value.
        """
        term = access_term(request.user, pk, action="edit_notes")
        changes = _parse(s.TermNotesInputSerializer, request.data)
        current = {"notes": term.notes, "host": term.host, "review_date": term.review_date}
        term = services.term_update_notes(actor=request.user, term=term, **{**current, **changes})
        return Response(_term_detail(request, term))

    @extend_schema(
        request=s.TermOpenNextInputSerializer,
        responses={201: s.TermOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], url_path="open-next", url_name="open-next")
    def open_next(self, request, pk):
        """Open next year's term: members carried forward, merged units replaced by successors."""
        term = access_term(request.user, pk, action="open_next")
        data = _parse(s.TermOpenNextInputSerializer, request.data)
        new_term = services.term_open_next(
            actor=request.user, term=selectors.term_detail(pk=term.pk), **data
        )
        return Response(_term_detail(request, new_term), status=status.HTTP_201_CREATED)
