"""REST API of the cluster year at a glance: ``GET /api/term-years/{term id}/`` answers with what
the year's dashboard page shows (the same selector, ``year_dashboard``), for the same readers.
Counts the secretariat alone sees (reconciliation flags, publishing blockers) are null or empty
for everyone else."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from apps.accounts.permissions import access_term
from apps.emulation.choices import PactState, PeriodKind
from apps.emulation.selectors.dashboard import year_dashboard
from apps.emulation.selectors.reviews import AssessmentStatus, PeriodState, Punctuality
from apps.organizations.api.fields import EnumChoiceField
from apps.organizations.api.views import ID_REGEX, NOT_FOUND
from apps.organizations.models import ClusterTerm
from apps.voting.choices import BallotState


class _UnitRef(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    short_name = serializers.CharField()


class _Signature(serializers.Serializer):
    unit = _UnitRef()
    signed_at = serializers.DateTimeField()


class _Pact(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    version = serializers.IntegerField()
    state = EnumChoiceField(PactState)


class _Submission(serializers.Serializer):
    unit = _UnitRef()
    state = EnumChoiceField(AssessmentStatus)
    submitted_at = serializers.DateTimeField(allow_null=True)
    punctuality = EnumChoiceField(Punctuality)


class _Period(serializers.Serializer):
    id = serializers.IntegerField(source="period.pk")
    kind = EnumChoiceField(PeriodKind, source="period.kind")
    state = EnumChoiceField(PeriodState)
    opens_on = serializers.DateField(source="period.opens_on")
    deadline = serializers.DateField(source="period.deadline")
    submissions = _Submission(many=True, source="rows")
    counts = serializers.DictField(child=serializers.IntegerField())
    sheets_expected = serializers.IntegerField()
    sheets_submitted = serializers.IntegerField()
    flags = serializers.IntegerField(allow_null=True, help_text="Null unless the secretariat.")
    flagged_units = _UnitRef(many=True)
    blockers = serializers.ListField(child=serializers.CharField())
    ranking_published_at = serializers.DateTimeField(
        source="period.ranking_published_at", allow_null=True
    )


class _Ballot(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    question = serializers.CharField()
    state = EnumChoiceField(BallotState)


class _Todo(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    urgent = serializers.BooleanField()


class TermYearOutputSerializer(serializers.Serializer):
    term = serializers.IntegerField(source="term.pk")
    year = serializers.IntegerField(source="term.year")
    cluster = serializers.CharField(source="term.cluster.name")
    secretariat = serializers.BooleanField()
    pact = _Pact(allow_null=True)
    signed = serializers.SerializerMethodField()
    not_signed = serializers.SerializerMethodField()
    periods = _Period(many=True)
    ballots = _Ballot(many=True)
    todo = _Todo(many=True)

    def get_signed(self, board) -> list[dict]:
        rows = board.signatures.signed if board.signatures else []
        return _Signature(rows, many=True).data

    def get_not_signed(self, board) -> list[dict]:
        rows = board.signatures.missing if board.signatures else []
        return _UnitRef(rows, many=True).data


class TermYearViewSet(viewsets.GenericViewSet):
    """The year of a cluster term: pact and signatures, submissions per unit and period, scoring
    progress, flags, ranking, ballots and the caller's own to-do list (no list: one term)."""

    serializer_class = TermYearOutputSerializer
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return ClusterTerm.objects.none()

    @extend_schema(responses={200: TermYearOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        term = access_term(request.user, pk)
        board = year_dashboard(user=request.user, term=term)
        return Response(TermYearOutputSerializer(board).data)
