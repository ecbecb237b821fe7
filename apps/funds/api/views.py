"""REST API of the support fund: the same permissions (``access_term_fund``,
``access_fund_entry``) and services as the pages. There is no update and no delete: the ledger is
append-only, and a mistake is undone with ``POST /api/fund-entries/{id}/reverse/``."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.permissions import access_fund_entry, access_term_fund, require_signed_in
from apps.funds import selectors, services
from apps.funds.api import serializers as s
from apps.funds.choices import EntryKind
from apps.funds.models import FundEntry
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)


def _out(entry) -> dict:
    fresh = FundEntry.objects.select_related("unit", "reverses").get(pk=entry.pk)
    return s.EntryOutputSerializer(fresh).data


def _write(request_serializer, code=200, output=s.EntryOutputSerializer):
    return extend_schema(
        request=request_serializer,
        responses={code: output, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND},
    )


class FundEntryViewSet(_ApiViewSet):
    """Entries of a cluster term's support fund (the ledger with ``?term=``)."""

    serializer_class = s.EntryOutputSerializer
    filterset_class = None
    pagination_class = None

    def get_queryset(self):
        return FundEntry.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("term", int, required=True)],
        responses={200: s.LedgerOutputSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    def list(self, request):
        """The ledger of a term: totals and every entry with the balance after it."""
        require_signed_in(request.user)
        term_id = request.query_params.get("term", "")
        if not term_id.isdigit():
            raise ApiValidationError({"term": [_("Give the cluster term: ?term=<id>.")]})
        term = access_term_fund(request.user, int(term_id))
        return Response(s.LedgerOutputSerializer(selectors.fund_ledger(term=term)).data)

    @extend_schema(responses={200: s.EntryOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_out(access_fund_entry(request.user, pk)))

    @_write(s.EntryInputSerializer, 201)
    def create(self, request):
        """Record a contribution or a disbursement (the term's secretariat, central officers)."""
        require_signed_in(request.user)
        data = dict(_parse(s.EntryInputSerializer, request.data))
        term = access_term_fund(request.user, data.pop("term").pk, action="edit")
        kind = data.pop("kind")
        if kind == EntryKind.CONTRIBUTION:
            data.pop("beneficiary")
            entry = services.fund_contribution_add(actor=request.user, term=term, **data)
        else:
            entry = services.fund_disbursement_add(actor=request.user, term=term, **data)
        return Response(_out(entry), status=status.HTTP_201_CREATED)

    @_write(s.ReverseInputSerializer, 201)
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk):
        """Undo an entry with a counter-entry (the answer is the new reversal entry)."""
        entry = access_fund_entry(request.user, pk, action="edit")
        data = _parse(s.ReverseInputSerializer, request.data)
        reversal = services.fund_entry_reverse(actor=request.user, entry=entry, **data)
        return Response(_out(reversal), status=status.HTTP_201_CREATED)

    @_write(s.HandoverInputSerializer)
    @action(detail=True, methods=["post"])
    def handover(self, request, pk):
        """Record, once, that the house built with a disbursement was handed over."""
        entry = access_fund_entry(request.user, pk, action="edit")
        data = _parse(s.HandoverInputSerializer, request.data)
        entry = services.fund_handover_record(actor=request.user, entry=entry, **data)
        return Response(_out(entry))

    @_write(s.FundAttachmentInputSerializer, 201, s.FundAttachmentOutputSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request, pk):
        """Attach a receipt, slip or photo (multipart, or JSON with ``file_name`` and
        ``content_base64``); checked by content."""
        entry = access_fund_entry(request.user, pk, action="edit")
        data = _parse(s.FundAttachmentInputSerializer, request.data)
        attachment = services.fund_attachment_add(
            actor=request.user, entry=entry, upload=data["file"], kind=data["kind"]
        )
        return Response(
            s.FundAttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED
        )
