"""API of organisation management, the organisations' classification steps, badge awards and the
whole country's statistics: the same permission helpers and services as the pages. The mixins are
part of ``PartyOrgViewSet`` and ``MemberViewSet``."""

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
    access_org_classification,
    access_party_org,
    can_edit_members,
    can_view_country_statistics,
    require_signed_in,
)
from apps.members import selectors, selectors_orgs, services
from apps.members.api import serializers_orgs as s
from apps.members.api.serializers import OrgOutputSerializer
from apps.members.models import OrgClassification
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)


def _keeps(user, org) -> None:
    if not can_edit_members(user, org.path):
        raise PermissionDenied(_("Only the keeping unit's staff or a central officer may do this."))


def _roll_up(summary) -> dict:
    return {
        "year": summary.year,
        "by_level": summary.by_level,
        "classified": summary.classified,
        "good_or_better": summary.good_or_better,
        "good_or_better_percent": summary.good_or_better_percent,
        "target": summary.target,
        "meets_target": summary.meets_target,
    }


def _year(request) -> int:
    text = request.query_params.get("year", "")
    if text and not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise ApiValidationError({"year": [_("Give a year from 2000 to 2100.")]})
    return int(text) if text else timezone.localdate().year - 1


class OrgWriteActions:
    """Create a child, change catalog data, move a subtree, record a succession; classification."""

    @extend_schema(
        request=s.OrgCreateInputSerializer,
        responses={201: OrgOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        """Add an organisation under ``parent`` (a kind allowed there)."""
        data = dict(_parse(s.OrgCreateInputSerializer, request.data))
        parent = access_party_org(request.user, data.pop("parent").pk, action="edit")
        org = services.org_create(actor=request.user, parent=parent, **data)
        return Response(OrgOutputSerializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.OrgUpdateInputSerializer,
        responses={200: OrgOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def partial_update(self, request, pk):
        """Change the code, name or dates."""
        org = access_party_org(request.user, pk, action="edit")
        data = {
            "code": org.code,
            "name": org.name,
            "valid_from": org.valid_from,
            "valid_to": org.valid_to,
            **_parse(s.OrgUpdateInputSerializer, request.data),
        }
        org = services.org_update(actor=request.user, org=org, **data)
        return Response(OrgOutputSerializer(org).data)

    @extend_schema(
        request=s.OrgMoveInputSerializer,
        responses={200: s.OrgMoveOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk):
        """Move the organisation and its subtree under ``new_parent`` (also in your keeping)."""
        org = access_party_org(request.user, pk, action="edit")
        new_parent = _parse(s.OrgMoveInputSerializer, request.data)["new_parent"]
        _keeps(request.user, new_parent)
        moved = services.org_move(actor=request.user, org=org, new_parent=new_parent)
        return Response({"moved": moved})

    @extend_schema(
        request=s.SuccessionInputSerializer,
        responses={201: s.SuccessionOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def successions(self, request, pk):
        """Record that this organisation merged into, split into or was renamed to ``successor``."""
        org = access_party_org(request.user, pk, action="edit")
        data = dict(_parse(s.SuccessionInputSerializer, request.data))
        _keeps(request.user, data["successor"])
        row = services.org_succession_add(actor=request.user, predecessor=org, **data)
        return Response(s.SuccessionOutputSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("year", int)],
        responses={200: s.OrgClassificationPageSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def classification(self, request, pk):
        """The organisation's record for ``?year=`` (last year by default) and the subtree's
        roll-ups: grassroots organisations decided, members classified (target 90 %)."""
        org = access_org_classification(request.user, pk)
        year = _year(request)
        record = OrgClassification.objects.filter(organization=org, year=year).first()
        return Response(
            s.OrgClassificationPageSerializer(
                {
                    "record": record,
                    "organisations": _roll_up(
                        selectors_orgs.org_classification_summary(org, year=year)
                    ),
                    "members": _roll_up(selectors.classification_summary(org, year=year)),
                }
            ).data
        )

    def _step(self, request, pk, step, serializer, call):
        org = access_org_classification(request.user, pk, step=step)
        data = dict(_parse(serializer, request.data))
        record = call(actor=request.user, org=org, **data)
        return Response(s.OrgClassificationOutputSerializer(record).data)

    @extend_schema(
        request=s.SelfAssessInputSerializer,
        responses={
            200: s.OrgClassificationOutputSerializer,
            400: VALIDATION_ERROR,
            403: FORBIDDEN,
        },
    )
    @action(detail=True, methods=["post"], url_path="self-assess")
    def self_assess(self, request, pk):
        """Step 1 (the organisation's keepers): score, proposed level, comment."""
        return self._step(
            request,
            pk,
            "self_assess",
            s.SelfAssessInputSerializer,
            services.org_classification_self_assess,
        )

    @extend_schema(
        request=s.AppraiseInputSerializer,
        responses={
            200: s.OrgClassificationOutputSerializer,
            400: VALIDATION_ERROR,
            403: FORBIDDEN,
        },
    )
    @action(detail=True, methods=["post"])
    def appraise(self, request, pk):
        """Step 2 (the direct parent's keepers): proposed level and comment."""
        return self._step(
            request, pk, "appraise", s.AppraiseInputSerializer, services.org_classification_appraise
        )

    @extend_schema(
        request=s.DecideInputSerializer,
        responses={
            200: s.OrgClassificationOutputSerializer,
            400: VALIDATION_ERROR,
            403: FORBIDDEN,
        },
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk):
        """Step 3 (the deciding committee's keepers): the level, within its quota of "xuất sắc"."""
        return self._step(
            request, pk, "decide", s.DecideInputSerializer, services.org_classification_decide
        )


class MemberBadgeActions:
    @extend_schema(
        request=s.BadgeAwardInputSerializer,
        responses={201: s.BadgeOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def badges(self, request, pk):
        """Award a badge due on an award round (early with a reason); records its number."""
        member = access_member(request.user, pk, action="edit")
        data = _parse(s.BadgeAwardInputSerializer, request.data)
        badge = services.badge_award(actor=request.user, member=member, **data)
        return Response(s.BadgeOutputSerializer(badge).data, status=status.HTTP_201_CREATED)


class PartyStatisticsViewSet(_ApiViewSet):
    """The whole country on ``?on=`` (today by default): one row per provincial party committee
    and the total. Central staff and viewers."""

    serializer_class = s.CountryStatisticsOutputSerializer
    filterset_class = None
    pagination_class = None
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return OrgClassification.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("on", str)],
        responses={200: s.CountryStatisticsOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def list(self, request):
        require_signed_in(request.user)
        if not can_view_country_statistics(request.user):
            raise PermissionDenied(_("The whole country's statistics are for central staff."))
        raw = request.query_params.get("on", "")
        on = parse_date(raw) if raw else timezone.localdate()
        if on is None:
            raise ApiValidationError({"on": [_("Give the date as YYYY-MM-DD.")]})
        stats = selectors_orgs.country_statistics(on=on)
        return Response(s.CountryStatisticsOutputSerializer(stats).data)


__all__ = ["MemberBadgeActions", "OrgWriteActions", "PartyStatisticsViewSet"]
