"""REST API of the good-practice registry: the same filterset, permissions and services as the
pages. ``GET /api/practices/counts/?term=`` gives the per-unit counts of a cluster year."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_practice,
    access_term,
    can_manage_sector,
    can_propose_practice,
    require_signed_in,
)
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)
from apps.practices import selectors, services
from apps.practices.api import serializers as s
from apps.practices.filters import PracticeFilter
from apps.practices.models import GoodPractice


def _out(practice) -> dict:
    fresh = GoodPractice.objects.select_related("unit").get(pk=practice.pk)
    return s.PracticeOutputSerializer(fresh).data


def _write(request_serializer, code=200, output=s.PracticeOutputSerializer):
    return extend_schema(
        request=request_serializer,
        responses={code: output, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND},
    )


class PracticeViewSet(_ApiViewSet):
    """Good practices of every unit (filters as on the page: q, year, unit, field, status)."""

    serializer_class = s.PracticeOutputSerializer
    filterset_class = PracticeFilter

    def get_queryset(self):
        return selectors.practice_list(user=self.request.user).prefetch_related(
            "adoptions__unit", "attachments"
        )

    @extend_schema(responses={200: s.PracticeOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_out(access_practice(request.user, pk)))

    @_write(s.PracticeInputSerializer, 201)
    def create(self, request):
        require_signed_in(request.user)
        data = dict(_parse(s.PracticeInputSerializer, request.data))
        if not can_propose_practice(request.user, data["unit"]):
            raise PermissionDenied(
                _("Only the unit's own staff or a central officer may change it.")
            )
        practice = services.practice_create(actor=request.user, **data)
        return Response(_out(practice), status=status.HTTP_201_CREATED)

    @_write(s.PracticeUpdateSerializer)
    def partial_update(self, request, pk):
        practice = access_practice(request.user, pk, action="edit")
        changes = dict(_parse(s.PracticeUpdateSerializer, request.data))
        return Response(
            _out(services.practice_update(actor=request.user, practice=practice, **changes))
        )

    @_write(s.RecogniseInputSerializer)
    @action(detail=True, methods=["post"])
    def recognise(self, request, pk):
        practice = access_practice(request.user, pk, action="recognise")
        data = _parse(s.RecogniseInputSerializer, request.data)
        return Response(
            _out(services.practice_recognise(actor=request.user, practice=practice, **data))
        )

    @_write(s.AdoptInputSerializer, 201)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk):
        practice = access_practice(request.user, pk, action="adopt")
        data = dict(_parse(s.AdoptInputSerializer, request.data))
        if not can_manage_sector(request.user) and data["unit"].pk != request.user.unit_id:
            raise PermissionDenied(_("Staff of another unit record that their unit adopted it."))
        adoption = services.practice_adopt(actor=request.user, practice=practice, **data)
        return Response(_out(adoption.practice), status=status.HTTP_201_CREATED)

    @_write(s.PracticeAttachmentInputSerializer, 201, s.PracticeAttachmentOutputSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request, pk):
        practice = access_practice(request.user, pk, action="edit")
        data = _parse(s.PracticeAttachmentInputSerializer, request.data)
        attachment = services.practice_attachment_add(
            actor=request.user, practice=practice, upload=data["file"]
        )
        return Response(
            s.PracticeAttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[OpenApiParameter("term", int, required=True)],
        responses={200: s.CountOutputSerializer(many=True), 400: VALIDATION_ERROR},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def counts(self, request):
        """Per member unit of a cluster term: practices of its year, recognised, adopted."""
        require_signed_in(request.user)
        term_id = request.query_params.get("term", "")
        if not term_id.isdigit():
            raise ApiValidationError({"term": [_("Give the cluster term: ?term=<id>.")]})
        term = access_term(request.user, int(term_id))
        rows = selectors.term_practice_counts(term=term)
        return Response(s.CountOutputSerializer(rows, many=True).data)
