"""REST API of the acclamation vote: the same permissions (``access_ballot``) and services as the
pages. ``POST /api/ballots/{id}/cast/`` answers with the receipt code once; nothing in the API
links a unit to its choice."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from apps.accounts.permissions import access_ballot, access_term_ballots, require_signed_in
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)
from apps.voting import selectors, services
from apps.voting.api import serializers as s
from apps.voting.choices import BallotState
from apps.voting.models import Ballot


def _out(ballot) -> dict:
    return s.BallotOutputSerializer(Ballot.objects.get(pk=ballot.pk)).data


def _write(request_serializer, code=200, output=s.BallotOutputSerializer):
    return extend_schema(
        request=request_serializer,
        responses={code: output, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND},
    )


def _results(ballot):
    try:
        return selectors.ballot_tally(ballot=ballot)
    except ValidationError as exc:
        raise ApiValidationError({"detail": exc.messages}) from exc


class BallotViewSet(_ApiViewSet):
    """Acclamation votes of a cluster term (list with ``?term=``)."""

    serializer_class = s.BallotOutputSerializer
    filterset_class = None
    pagination_class = None

    def get_queryset(self):
        return Ballot.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("term", int, required=True)],
        responses={200: s.BallotOutputSerializer(many=True), 400: VALIDATION_ERROR},
    )
    def list(self, request):
        require_signed_in(request.user)
        term_id = request.query_params.get("term", "")
        if not term_id.isdigit():
            raise ApiValidationError({"term": [_("Give the cluster term: ?term=<id>.")]})
        term = access_term_ballots(request.user, int(term_id))
        ballots = selectors.ballot_list(user=request.user, term=term).order_by("-created_at")
        return Response(s.BallotOutputSerializer(ballots, many=True).data)

    @extend_schema(responses={200: s.BallotOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_out(access_ballot(request.user, pk)))

    @_write(s.BallotInputSerializer, 201)
    def create(self, request):
        """A draft ballot (the term's secretariat or a central officer)."""
        require_signed_in(request.user)
        data = dict(_parse(s.BallotInputSerializer, request.data))
        term = access_term_ballots(request.user, data.pop("term").pk, action="create")
        ballot = services.ballot_create(actor=request.user, term=term, **data)
        return Response(_out(ballot), status=status.HTTP_201_CREATED)

    @_write(s.BallotUpdateInputSerializer)
    def partial_update(self, request, pk):
        ballot = access_ballot(request.user, pk, action="edit")
        changes = dict(_parse(s.BallotUpdateInputSerializer, request.data))
        ballot = services.ballot_update(actor=request.user, ballot=ballot, **changes)
        return Response(_out(ballot))

    @_write(None)
    @action(detail=True, methods=["post"])
    def open(self, request, pk):
        """Draft → open; the electorate is fixed now."""
        ballot = access_ballot(request.user, pk, action="open")
        return Response(_out(services.ballot_open(actor=request.user, ballot=ballot)))

    @_write(None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk):
        """Open → closed; the papers are reshuffled."""
        ballot = access_ballot(request.user, pk, action="close")
        return Response(_out(services.ballot_close(actor=request.user, ballot=ballot)))

    @_write(None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk):
        """Closed → published: results and receipt codes become public."""
        ballot = access_ballot(request.user, pk, action="publish")
        return Response(_out(services.ballot_publish(actor=request.user, ballot=ballot)))

    @_write(s.CastInputSerializer, 201, s.ReceiptOutputSerializer)
    @action(detail=True, methods=["post"])
    def cast(self, request, pk):
        """Cast the caller's unit's vote (its leader); the answer is the receipt code."""
        ballot = access_ballot(request.user, pk, action="cast")
        data = _parse(s.CastInputSerializer, request.data)
        receipt = services.ballot_cast(actor=request.user, ballot=ballot, choices=data["choices"])
        response = Response({"receipt": receipt}, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses={200: s.TallyOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN})
    @action(detail=True, methods=["get"])
    def results(self, request, pk):
        """Turnout, votes per candidate, quorum and threshold (closed: secretariat; published:
        everyone signed in)."""
        ballot = access_ballot(request.user, pk, action="view_results")
        return Response(s.TallyOutputSerializer(_results(ballot)).data)

    @extend_schema(responses={200: s.PaperOutputSerializer(many=True), 400: VALIDATION_ERROR})
    @action(detail=True, methods=["get"])
    def papers(self, request, pk):
        """Every receipt code with its choices (candidate ids), once published."""
        ballot = access_ballot(request.user, pk, action="view_results")
        if ballot.state != BallotState.PUBLISHED:
            raise ApiValidationError(
                {"detail": [_("The results of this ballot are not published yet.")]}
            )
        papers = selectors.ballot_published_papers(ballot=ballot)
        return Response(s.PaperOutputSerializer(papers, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("code", str, required=True)],
        responses={200: s.PaperOutputSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk):
        """Check one receipt code against the published papers."""
        ballot = access_ballot(request.user, pk, action="view_results")
        if ballot.state != BallotState.PUBLISHED:
            raise ApiValidationError(
                {"detail": [_("The results of this ballot are not published yet.")]}
            )
        code = _parse(s.ReceiptQuerySerializer, request.query_params)["code"]
        paper = selectors.ballot_receipt_check(ballot=ballot, receipt=code)
        if paper is None:
            return Response({"detail": _("No paper has this receipt code.")}, status=404)
        return Response(s.PaperOutputSerializer(paper).data)
