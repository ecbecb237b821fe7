"""REST API for pacts, their content groups and criteria, and the pact's transitions.

Same shape as the organizations API: permission first (``access_*``), then parse with an input
serializer, call one service with ``actor=request.user``, answer with an output serializer.
Groups and criteria live under their pact: ``/api/pacts/{pact}/groups/`` and ``…/criteria/``.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_content_group,
    access_criterion,
    access_pact,
    access_term_pacts,
    require_signed_in,
)
from apps.emulation import selectors, services
from apps.emulation.api import serializers as s
from apps.emulation.filters import PactFilter
from apps.emulation.models import ContentGroup, Criterion
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)


def _pact(pact) -> dict:
    return s.PactOutputSerializer(selectors.pact_detail(pk=pact.pk)).data


def _write(request_serializer, code=200, output=s.PactOutputSerializer):
    return extend_schema(
        request=request_serializer,
        responses={code: output, 400: VALIDATION_ERROR, 403: FORBIDDEN, 404: NOT_FOUND},
    )


class PactViewSet(_ApiViewSet):
    """A cluster term's emulation pact, version by version (filter by ``term``)."""

    serializer_class = s.PactListOutputSerializer
    filterset_class = PactFilter

    def get_queryset(self):
        return selectors.pact_list(user=self.request.user)

    def list(self, request):
        require_signed_in(request.user)
        return super().list(request)

    @extend_schema(responses={200: s.PactOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(_pact(access_pact(request.user, pk)))

    @_write(s.PactInputSerializer, 201)
    def create(self, request):
        """Start a term's pact as a draft (the term's secretariat or a central officer)."""
        require_signed_in(request.user)
        data = dict(_parse(s.PactInputSerializer, request.data))
        term = access_term_pacts(request.user, data.pop("term").pk, action="create")
        pact = services.pact_create(actor=request.user, term=term, **data)
        return Response(_pact(pact), status=status.HTTP_201_CREATED)

    @_write(s.PactCopyInputSerializer, 201)
    @action(
        detail=False,
        methods=["post"],
        url_path="copy-from-previous",
        url_name="copy-from-previous",
        filterset_class=None,
    )
    def copy_from_previous(self, request):
        """Start a term's pact as a copy of the same cluster's previous year."""
        require_signed_in(request.user)
        data = dict(_parse(s.PactCopyInputSerializer, request.data))
        term = access_term_pacts(request.user, data.pop("term").pk, action="create")
        pact = services.pact_copy_from_previous(actor=request.user, term=term, **data)
        return Response(_pact(pact), status=status.HTTP_201_CREATED)

    @_write(s.PactUpdateInputSerializer)
    def partial_update(self, request, pk):
        pact = access_pact(request.user, pk, action="edit")
        changes = _parse(s.PactUpdateInputSerializer, request.data)
        return Response(_pact(services.pact_update(actor=request.user, pact=pact, **changes)))

    @_write(None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def open(self, request, pk):
        """Draft → open for signing (needs at least one criterion)."""
        pact = access_pact(request.user, pk, action="transition")
        return Response(_pact(services.pact_open_for_signing(actor=request.user, pact=pact)))

    @_write(None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def sign(self, request, pk):
        """The caller's unit signs; the last member's signature locks the pact (signed)."""
        pact = access_pact(request.user, pk, action="sign")
        services.pact_sign(actor=request.user, pact=pact, unit=request.user.unit)
        return Response(_pact(pact))

    @_write(None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk):
        """Signed → closed."""
        pact = access_pact(request.user, pk, action="transition")
        return Response(_pact(services.pact_close(actor=request.user, pact=pact)))

    @_write(s.PactAmendInputSerializer, 201)
    @action(detail=True, methods=["post"], filterset_class=None)
    def amend(self, request, pk):
        """A new draft version of a signed pact, with the reason; the signed one stays in force
        until every member has signed the amendment."""
        pact = access_pact(request.user, pk, action="transition")
        data = _parse(s.PactAmendInputSerializer, request.data)
        amendment = services.pact_amend(actor=request.user, pact=pact, **data)
        return Response(_pact(amendment), status=status.HTTP_201_CREATED)


class ContentGroupViewSet(_ApiViewSet):
    """Content groups of a pact; written only while the pact is a draft."""

    serializer_class = s.ContentGroupOutputSerializer
    filterset_class = None
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no pact
            return ContentGroup.objects.none()
        return ContentGroup.objects.filter(pact_id=self.kwargs["pact_pk"]).prefetch_related(
            "criteria"
        )

    def list(self, request, pact_pk):
        access_pact(request.user, pact_pk)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pact_pk, pk):
        access_pact(request.user, pact_pk)
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @_write(s.ContentGroupInputSerializer, 201, s.ContentGroupOutputSerializer)
    def create(self, request, pact_pk):
        pact = access_pact(request.user, pact_pk, action="edit")
        data = _parse(s.ContentGroupInputSerializer, request.data)
        group = services.content_group_add(actor=request.user, pact=pact, **data)
        return Response(self.get_serializer(group).data, status=status.HTTP_201_CREATED)

    def _group(self, request, pact_pk, pk):
        group = access_content_group(request.user, pk)
        if str(group.pact_id) != str(pact_pk):
            return get_object_or_404(ContentGroup, pk=-1)
        return group

    @_write(s.ContentGroupInputSerializer, 200, s.ContentGroupOutputSerializer)
    def partial_update(self, request, pact_pk, pk):
        group = self._group(request, pact_pk, pk)
        changes = _parse(s.ContentGroupInputSerializer, request.data, partial=True)
        group = services.content_group_update(actor=request.user, group=group, **changes)
        return Response(self.get_serializer(group).data)

    @extend_schema(responses={204: None, 400: VALIDATION_ERROR, 403: FORBIDDEN})
    def destroy(self, request, pact_pk, pk):
        group = self._group(request, pact_pk, pk)
        services.content_group_delete(actor=request.user, group=group)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CriterionViewSet(_ApiViewSet):
    """Criteria (and bonus and penalty items) of a pact; written only while it is a draft."""

    serializer_class = s.CriterionOutputSerializer
    filterset_class = None
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no pact
            return Criterion.objects.none()
        return Criterion.objects.filter(group__pact_id=self.kwargs["pact_pk"])

    def list(self, request, pact_pk):
        access_pact(request.user, pact_pk)
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pact_pk, pk):
        access_pact(request.user, pact_pk)
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @_write(s.CriterionInputSerializer, 201, s.CriterionOutputSerializer)
    def create(self, request, pact_pk):
        access_pact(request.user, pact_pk, action="edit")
        data = dict(_parse(s.CriterionInputSerializer, request.data))
        group = access_content_group(request.user, data.pop("group").pk)
        if str(group.pact_id) != str(pact_pk):
            return Response({"group": [s.GROUP_NOT_IN_PACT]}, status=status.HTTP_400_BAD_REQUEST)
        criterion = services.criterion_add(actor=request.user, group=group, **data)
        return Response(self.get_serializer(criterion).data, status=status.HTTP_201_CREATED)

    def _criterion(self, request, pact_pk, pk):
        criterion = access_criterion(request.user, pk)
        if str(criterion.group.pact_id) != str(pact_pk):
            return get_object_or_404(Criterion, pk=-1)
        return criterion

    @_write(s.CriterionUpdateInputSerializer, 200, s.CriterionOutputSerializer)
    def partial_update(self, request, pact_pk, pk):
        criterion = self._criterion(request, pact_pk, pk)
        changes = _parse(s.CriterionUpdateInputSerializer, request.data, partial=True)
        criterion = services.criterion_update(actor=request.user, criterion=criterion, **changes)
        return Response(self.get_serializer(criterion).data)

    @extend_schema(responses={204: None, 400: VALIDATION_ERROR, 403: FORBIDDEN})
    def destroy(self, request, pact_pk, pk):
        criterion = self._criterion(request, pact_pk, pk)
        services.criterion_delete(actor=request.user, criterion=criterion)
        return Response(status=status.HTTP_204_NO_CONTENT)
