"""REST API of the party-member database: the same scope (a unit's kept subtrees), masking and
services as the pages. The full citizen ID is a POST that is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_member,
    access_party_org,
    can_edit_members,
    member_root_paths,
    require_signed_in,
)
from apps.members import selectors, services
from apps.members.api import serializers as s
from apps.members.api.history import MemberHistoryActions
from apps.members.api.orgs import MemberBadgeActions, OrgWriteActions
from apps.members.models import Member, PartyOrganization
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)


class PartyOrgViewSet(OrgWriteActions, _ApiViewSet):
    """Party organisations: ``?parent=<id>`` for its children, otherwise the roots you may see;
    management and classification steps in ``api.orgs``."""

    serializer_class = s.OrgOutputSerializer
    filterset_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return PartyOrganization.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("parent", int)],
        responses={200: s.OrgOutputSerializer(many=True)},
    )
    def list(self, request):
        require_signed_in(request.user)
        parent = request.query_params.get("parent", "")
        if parent.isdigit():
            rows = access_party_org(request.user, int(parent)).children.all()
        else:
            roots = member_root_paths(request.user)
            rows = PartyOrganization.objects.all()
            rows = rows.filter(depth=0) if roots is None else rows.filter(path__in=roots)
        page = self.paginate_queryset(rows.order_by("path"))
        return self.get_paginated_response(s.OrgOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: s.OrgOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(s.OrgOutputSerializer(access_party_org(request.user, pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("on", str)],
        responses={200: s.StatisticsOutputSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def statistics(self, request, pk):
        """Members of the subtree on ``?on=`` (today by default): the report figures."""
        org = access_party_org(request.user, pk)
        raw = request.query_params.get("on", "")
        on = parse_date(raw) if raw else timezone.localdate()
        if on is None:
            raise ApiValidationError({"on": [_("Give the date as YYYY-MM-DD.")]})
        stats = selectors.member_statistics(org, on=on)
        return Response(
            s.StatisticsOutputSerializer(
                {
                    "on": on,
                    "total": stats.total,
                    "by_status": stats.by_status,
                    "by_sex": stats.by_sex,
                    "by_age": dict(stats.by_age),
                    "by_ethnicity": dict(stats.by_ethnicity),
                    "with_cccd": stats.with_cccd,
                    "cccd_percent": stats.cccd_percent,
                    "renewed_cards": stats.renewed_cards,
                    "card_percent": stats.card_percent,
                }
            ).data
        )


class MemberViewSet(MemberHistoryActions, MemberBadgeActions, _ApiViewSet):
    """Members under ``?org=<id>``, citizen IDs masked. ``?q=`` searches by name without
    diacritics (words that start the name's words) or by full citizen ID or card number; a search
    lists at most 1 000 matches (the first found), in list order: narrow the query for more."""

    serializer_class = s.MemberOutputSerializer
    filterset_class = None

    def get_queryset(self):
        return Member.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("org", int, required=True), OpenApiParameter("q", str)],
        responses={200: s.MemberOutputSerializer(many=True), 400: VALIDATION_ERROR},
    )
    def list(self, request):
        require_signed_in(request.user)
        org_id = request.query_params.get("org", "")
        if not org_id.isdigit():
            raise ApiValidationError({"org": [_("Give the organisation: ?org=<id>.")]})
        org = access_party_org(request.user, int(org_id))
        rows = selectors.members_under(org).select_related("organization")
        query = " ".join(request.query_params.get("q", "").split())[:100]
        if query:
            rows = rows.filter(pk__in=selectors.search_members(rows, query).ids)
        page = self.paginate_queryset(rows.order_by("sort_key", "id"))
        return self.get_paginated_response(s.MemberOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: s.MemberOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(s.MemberOutputSerializer(access_member(request.user, pk)).data)

    @extend_schema(
        request=s.MemberInputSerializer,
        responses={201: s.MemberOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        """Add a member to a cell; a likely duplicate (same name and birth date) needs
        ``confirm_duplicate``."""
        data = dict(_parse(s.MemberInputSerializer, request.data))
        org = access_party_org(request.user, data["organization"].pk, action="edit")
        if not can_edit_members(request.user, org.path):
            raise PermissionDenied
        member = services.member_create(actor=request.user, **data)
        return Response(s.MemberOutputSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.CccdOutputSerializer, 403: FORBIDDEN})
    @action(detail=True, methods=["post"])
    def cccd(self, request, pk):
        """The full citizen ID (the keeping unit's leaders, central officers); audited."""
        member = access_member(request.user, pk, action="cccd")
        return Response({"cccd": services.member_cccd_view(actor=request.user, member=member)})
