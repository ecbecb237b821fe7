"""REST API of awards: the catalog priced on a date, rules and quotas, proposals with every
workflow step, candidates, and the award history. Same permissions (``access_proposal`` …) and
services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_award_record,
    access_decision,
    access_proposal,
    access_proposal_candidate,
    access_term,
    can_prepare_proposal,
    is_secretariat,
    require_sector_manager,
    require_signed_in,
)
from apps.awards import rules, selectors, services
from apps.awards.api import serializers as s
from apps.awards.models import AwardQuota, AwardRecord, AwardRule, AwardType, Proposal
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)
from apps.organizations.models import Unit

ON = OpenApiParameter("on", str, description="A date (YYYY-MM-DD); today when absent.")


def _on(request):
    raw = request.query_params.get("on", "")
    if not raw:
        return timezone.localdate()
    day = parse_date(raw) if len(raw) == 10 else None
    if day is None:
        raise ApiValidationError({"on": [_("Give the date as YYYY-MM-DD.")]})
    return day


def _write(request_serializer, code=200, output=None):
    return extend_schema(
        request=request_serializer,
        responses={
            code: output or s.ProposalDetailSerializer,
            400: VALIDATION_ERROR,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )


class AwardTypeViewSet(_ApiViewSet):
    """Titles and forms with the coefficient and prize money in force on ``?on=``."""

    serializer_class = s.AwardTypeOutputSerializer
    filterset_class = None
    pagination_class = None
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return AwardType.objects.none()

    @extend_schema(parameters=[ON], responses={200: s.AwardTypeOutputSerializer(many=True)})
    def list(self, request):
        require_signed_in(request.user)
        rows = selectors.award_catalog(on=_on(request))
        return Response(s.AwardTypeOutputSerializer(rows, many=True).data)


class AwardRuleViewSet(_ApiViewSet):
    """Rule versions; ``?on=`` keeps those in force that day, ``?award=`` one award (code)."""

    serializer_class = s.RuleOutputSerializer
    filterset_class = None
    pagination_class = None

    def get_queryset(self):
        return AwardRule.objects.none()

    @extend_schema(
        parameters=[ON, OpenApiParameter("award", str)],
        responses={200: s.RuleOutputSerializer(many=True)},
    )
    def list(self, request):
        require_signed_in(request.user)
        types = AwardType.objects.all()
        if request.query_params.get("award"):
            types = types.filter(code=request.query_params["award"])
        if request.query_params.get("on"):
            day = _on(request)
            rows = [r for t in types for r in rules_in_force(t, day)]
        else:
            rows = AwardRule.objects.filter(award_type__in=types).select_related(
                "award_type", "required_award"
            )
        return Response(s.RuleOutputSerializer(rows, many=True).data)

    @extend_schema(
        request=s.RuleInputSerializer,
        responses={201: s.RuleOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        """Add a rule version (central officers); it closes the one before it."""
        require_sector_manager(request.user)
        data = _parse(s.RuleInputSerializer, request.data)
        rule = services.award_rule_add(actor=request.user, **data)
        return Response(s.RuleOutputSerializer(rule).data, status=status.HTTP_201_CREATED)


rules_in_force = rules.rules_in_force


class AwardQuotaViewSet(_ApiViewSet):
    """Quotas set by receiving bodies (``?year=``); POST sets or changes one."""

    serializer_class = s.QuotaSerializer
    filterset_class = None
    pagination_class = None

    def get_queryset(self):
        return AwardQuota.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("year", int)], responses={200: s.QuotaSerializer(many=True)}
    )
    def list(self, request):
        require_signed_in(request.user)
        rows = AwardQuota.objects.select_related("award_type")
        year = request.query_params.get("year", "")
        if year.isdigit():
            rows = rows.filter(year=int(year))
        return Response(s.QuotaSerializer(rows, many=True).data)

    @extend_schema(
        request=s.QuotaSerializer,
        responses={200: s.QuotaSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        require_sector_manager(request.user)
        data = _parse(s.QuotaSerializer, request.data)
        quota = services.award_quota_set(actor=request.user, **data)
        return Response(s.QuotaSerializer(quota).data)


def proposal_detail(proposal) -> dict:
    proposal = Proposal.objects.select_related("proposer", "receiver").get(pk=proposal.pk)
    checks = rules.check_proposal(proposal)
    decision = getattr(proposal, "decision", None)
    data = s.ProposalOutputSerializer(proposal).data
    data.update(
        checked_on=(checks[0].on if checks else rules.check_date(proposal)).isoformat(),
        candidates=[
            {
                "candidate": s.CandidateOutputSerializer(c.candidate).data,
                "outcome": c.outcome,
                "verdicts": [v.as_dict() for v in c.verdicts],
            }
            for c in checks
        ],
        events=s.EventSerializer(proposal.events.select_related("actor"), many=True).data,
        decision=None
        if decision is None
        else {
            "id": decision.pk,
            "number": decision.number,
            "signed_on": decision.signed_on.isoformat(),
            "signer": decision.signer,
            "signer_title": decision.signer_title,
            "issuing_body": decision.issuing_body,
            "attachments": s.AttachmentOutputSerializer(decision.attachments.all(), many=True).data,
            "records": s.RecordOutputSerializer(
                AwardRecord.objects.filter(decision=decision).select_related("award_type", "unit"),
                many=True,
            ).data,
        },
    )
    return data


class ProposalViewSet(_ApiViewSet):
    """Award proposals visible to the caller (``?state=``, ``?year=``), each step a POST."""

    serializer_class = s.ProposalOutputSerializer
    filterset_class = None

    def get_queryset(self):
        return Proposal.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("state", str), OpenApiParameter("year", int)],
        responses={200: s.ProposalOutputSerializer(many=True)},
    )
    def list(self, request):
        require_signed_in(request.user)
        year = request.query_params.get("year", "")
        rows = selectors.proposal_list(
            user=request.user,
            state=request.query_params.get("state", ""),
            year=int(year) if year.isdigit() else None,
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.ProposalOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: s.ProposalDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        """The file with each candidate's rule verdicts, its steps and its decision."""
        return Response(proposal_detail(access_proposal(request.user, pk)))

    @_write(s.ProposalInputSerializer, 201)
    def create(self, request):
        """A draft proposal of the caller's unit."""
        require_signed_in(request.user)
        user = request.user
        if not (user.unit_id and can_prepare_proposal(user, user.unit)):
            raise PermissionDenied(_("Proposals are prepared by a unit's leaders and officers."))
        data = _parse(s.ProposalInputSerializer, request.data)
        proposal = services.proposal_create(actor=user, proposer=user.unit, **data)
        return Response(proposal_detail(proposal), status=status.HTTP_201_CREATED)

    @_write(s.ProposalPatchSerializer)
    def partial_update(self, request, pk):
        proposal = access_proposal(request.user, pk, action="edit")
        data = _parse(s.ProposalPatchSerializer, request.data, partial=True)
        services.proposal_update(actor=request.user, proposal=proposal, **data)
        return Response(proposal_detail(proposal))

    @_write(s.FromTermSerializer, 201)
    @action(detail=False, methods=["post"], url_path="from-term")
    def from_term(self, request):
        """The cluster's proposal generated from the term's counted acclamation vote."""
        data = _parse(s.FromTermSerializer, request.data)
        term = access_term(request.user, data["term"].pk)
        if not is_secretariat(request.user, term):
            raise PermissionDenied(_("Only the cluster secretariat of this term may do this."))
        proposal = services.proposal_from_term(actor=request.user, term=term)
        return Response(proposal_detail(proposal), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.CheckedCandidateSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def check(self, request, pk):
        """Each candidate's verdicts under the rules in force on the file's date."""
        proposal = access_proposal(request.user, pk)
        return Response(proposal_detail(proposal)["candidates"])

    @_write(s.CandidateInputSerializer, 201, s.CandidateOutputSerializer)
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk):
        proposal = access_proposal(request.user, pk, action="edit")
        data = dict(_parse(s.CandidateInputSerializer, request.data))
        candidate = services.proposal_candidate_add(actor=request.user, proposal=proposal, **data)
        return Response(s.CandidateOutputSerializer(candidate).data, status=status.HTTP_201_CREATED)

    def _step(self, request, pk, side, call, **kwargs):
        proposal = access_proposal(request.user, pk, action=side)
        call(actor=request.user, proposal=proposal, **kwargs)
        return Response(proposal_detail(proposal))

    @_write(None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk):
        """Send the file (a leader of the proposing unit)."""
        return self._step(request, pk, "submit", services.proposal_submit)

    @_write(None)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk):
        return self._step(request, pk, "review", services.proposal_receive)

    @_write(None)
    @action(detail=True, methods=["post"])
    def review(self, request, pk):
        return self._step(request, pk, "review", services.proposal_review_start)

    @_write(s.ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk):
        """Return the file with a comment, and one per candidate (``comments``: id → text)."""
        data = _parse(s.ReturnSerializer, request.data)
        return self._step(
            request,
            pk,
            "review",
            services.proposal_return,
            comment=data["comment"],
            comments=_keyed(data["comments"]),
        )

    @_write(s.PassSerializer)
    @action(detail=True, methods=["post"], url_path="pass", url_name="pass")
    def pass_(self, request, pk):
        """Finish the review: ``outcomes`` maps each candidate id to accepted or rejected."""
        data = _parse(s.PassSerializer, request.data)
        outcomes = {
            k: (v["outcome"], v.get("comment", "")) for k, v in _keyed(data["outcomes"]).items()
        }
        return self._step(
            request,
            pk,
            "review",
            services.proposal_pass,
            outcomes=outcomes,
            comment=data["comment"],
        )

    @_write(s.DecideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk):
        """Record the decision; each accepted candidate gets an award record with its prize."""
        data = _parse(s.DecideSerializer, request.data)
        return self._step(request, pk, "review", services.proposal_decide, **data)

    @_write(None)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk):
        """Number the certificates (their PDFs: /awards/records/{id}/certificate/)."""
        return self._step(request, pk, "review", services.proposal_issue_certificates)

    @_write(s.ProposalAttachmentInputSerializer, 201, s.AttachmentOutputSerializer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def attachments(self, request, pk):
        proposal = access_proposal(request.user, pk, action="edit")
        data = _parse(s.ProposalAttachmentInputSerializer, request.data)
        attachment = services.proposal_attachment_add(
            actor=request.user, proposal=proposal, upload=data["file"]
        )
        return Response(
            s.AttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED
        )


class DecisionViewSet(viewsets.GenericViewSet):
    """Files of a recorded decision (the signed scan, annexes)."""

    serializer_class = s.AttachmentOutputSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["post", "options"]

    def get_queryset(self):
        return Proposal.objects.none()

    @_write(s.ProposalAttachmentInputSerializer, 201, s.AttachmentOutputSerializer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def attachments(self, request, pk):
        decision = access_decision(request.user, pk, action="edit")
        data = _parse(s.ProposalAttachmentInputSerializer, request.data)
        attachment = services.decision_attachment_add(
            actor=request.user, decision=decision, upload=data["file"]
        )
        return Response(
            s.AttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED
        )


def _keyed(mapping: dict) -> dict:
    """Candidate ids arrive as JSON object keys (strings)."""
    out = {}
    for key, value in mapping.items():
        if not str(key).isdigit():
            raise ApiValidationError({"comments": [_("Candidates are named by their id.")]})
        out[int(key)] = value
    return out


class ProposalCandidateViewSet(viewsets.GenericViewSet):
    """Change or remove a candidate while its file is a draft or returned (candidates are
    listed and added through their proposal)."""

    serializer_class = s.CandidateOutputSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Proposal.objects.none()

    @extend_schema(responses={200: s.CandidateOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        candidate = access_proposal_candidate(request.user, pk, action="view")
        return Response(s.CandidateOutputSerializer(candidate).data)

    @extend_schema(
        request=s.CandidateInputSerializer,
        responses={200: s.CandidateOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def partial_update(self, request, pk):
        candidate = access_proposal_candidate(request.user, pk, action="edit")
        data = _parse(s.CandidateInputSerializer, request.data, partial=True)
        saved = services.proposal_candidate_update(actor=request.user, candidate=candidate, **data)
        return Response(s.CandidateOutputSerializer(saved).data)

    @extend_schema(responses={204: None, 400: VALIDATION_ERROR, 403: FORBIDDEN})
    def destroy(self, request, pk):
        candidate = access_proposal_candidate(request.user, pk, action="edit")
        services.proposal_candidate_remove(actor=request.user, candidate=candidate)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AwardRecordViewSet(_ApiViewSet):
    """Award history: ``?unit=`` (with the units it succeeded) or ``?name=`` (and
    ``?birth_date=``) for a person. POST enters a record from paper (central officers)."""

    serializer_class = s.RecordOutputSerializer
    filterset_class = None

    def get_queryset(self):
        return AwardRecord.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int),
            OpenApiParameter("name", str),
            OpenApiParameter("birth_date", str),
        ],
        responses={200: s.RecordOutputSerializer(many=True), 400: VALIDATION_ERROR},
    )
    def list(self, request):
        require_signed_in(request.user)
        unit_id = request.query_params.get("unit", "")
        name = request.query_params.get("name", "").strip()
        if unit_id.isdigit():
            unit = Unit.objects.filter(pk=int(unit_id)).first()
            if unit is None:
                raise ApiValidationError({"unit": [_("No such unit.")]})
            rows = selectors.unit_award_history(unit=unit)
        elif name:
            birth = parse_date(request.query_params.get("birth_date", "") or "") or None
            rows = selectors.person_award_history(name=name, birth_date=birth)
        else:
            raise ApiValidationError({"unit": [_("Give ?unit=<id> or ?name=<full name>.")]})
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.RecordOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: s.RecordOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(s.RecordOutputSerializer(access_award_record(request.user, pk)).data)

    @extend_schema(
        request=s.RecordInputSerializer,
        responses={201: s.RecordOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        require_sector_manager(request.user)
        data = _parse(s.RecordInputSerializer, request.data)
        record = services.award_record_add(actor=request.user, **data)
        return Response(s.RecordOutputSerializer(record).data, status=status.HTTP_201_CREATED)
