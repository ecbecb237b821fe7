"""REST API of inspections and supervisions and of training courses with their participants:
the same scope (the subtree of the subject or of the organiser), permissions and services as the
pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from apps.accounts.permissions import (
    access_course,
    access_inspection,
    access_member,
    access_party_org,
    require_signed_in,
)
from apps.members import selectors, services
from apps.members.choices import (
    CourseKind,
    CourseResult,
    InspectionBasis,
    InspectionKind,
    InspectionOutcome,
    Sex,
)
from apps.members.models import CourseParticipant, Inspection, Member, PartyOrganization
from apps.members.models import TrainingCourse as Course
from apps.organizations.api.fields import EnumChoiceField, IdField
from apps.organizations.api.views import (
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    _ApiViewSet,
    _parse,
)

# --- shapes ---------------------------------------------------------------------------------------


class InspectionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = EnumChoiceField(InspectionKind)
    basis = EnumChoiceField(InspectionBasis)
    conducted_by = serializers.IntegerField(source="conducted_by_id")
    body_name = serializers.CharField()
    subject_org = serializers.IntegerField(source="subject_org_id", allow_null=True)
    subject_member = serializers.IntegerField(source="subject_member_id", allow_null=True)
    subject_name = serializers.CharField(source="subject.__str__")
    topic = serializers.CharField()
    decision_number = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    concluded_on = serializers.DateField(allow_null=True, help_text="Empty while it is open.")
    conclusion = serializers.CharField()
    outcome = EnumChoiceField(InspectionOutcome, allow_blank=True)
    measure = serializers.CharField()


class InspectionInputSerializer(serializers.Serializer):
    """Give exactly one of ``subject_org`` and ``subject_member`` (on create; the subject does
    not change afterwards)."""

    subject_org = IdField(queryset=PartyOrganization.objects.all(), required=False, allow_null=True)
    subject_member = IdField(queryset=Member.objects.all(), required=False, allow_null=True)
    kind = EnumChoiceField(InspectionKind)
    basis = EnumChoiceField(InspectionBasis, required=False, default=InspectionBasis.REGULAR)
    conducted_by = IdField(queryset=PartyOrganization.objects.all())
    body_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    topic = serializers.CharField(max_length=500)
    decision_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class InspectionUpdateSerializer(InspectionInputSerializer):
    subject_org = None
    subject_member = None


class InspectionConclusionInputSerializer(serializers.Serializer):
    concluded_on = serializers.DateField()
    conclusion = serializers.CharField(max_length=20_000)
    outcome = EnumChoiceField(InspectionOutcome)
    measure = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InspectionReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CourseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = EnumChoiceField(CourseKind)
    organizer = serializers.IntegerField(source="organizer_id")
    name = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    place = serializers.CharField()


class CourseInputSerializer(serializers.Serializer):
    organizer = IdField(queryset=PartyOrganization.objects.all())
    kind = EnumChoiceField(CourseKind)
    name = serializers.CharField(max_length=300)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CourseUpdateSerializer(CourseInputSerializer):
    organizer = None


class CourseParticipantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    member = serializers.IntegerField(source="member_id", allow_null=True)
    name = serializers.CharField()
    birth_date = serializers.SerializerMethodField()
    cccd_masked = serializers.CharField(help_text="The citizen ID masked: 0010******89.")
    result = EnumChoiceField(CourseResult, allow_blank=True)
    completed_on = serializers.DateField(allow_null=True)
    certificate_number = serializers.CharField(allow_null=True)

    def get_birth_date(self, row) -> str | None:
        day = row.member.birth_date if row.member_id else row.birth_date
        return day.isoformat() if day else None


class CourseParticipantInputSerializer(serializers.Serializer):
    """A member (``member``), or a non-member (``full_name``, ``birth_date``, ``sex``, optional
    ``cccd``)."""

    member = IdField(queryset=Member.objects.all(), required=False, allow_null=True)
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    sex = EnumChoiceField(Sex, required=False, allow_blank=True, default="")
    cccd = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class CourseResultInputSerializer(serializers.Serializer):
    result = EnumChoiceField(CourseResult)
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    certificate_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )


def _org_param(request) -> PartyOrganization:
    require_signed_in(request.user)
    org_id = request.query_params.get("org", "")
    if not org_id.isdigit():
        raise ApiValidationError({"org": [_("Give the organisation: ?org=<id>.")]})
    return access_party_org(request.user, int(org_id))


# --- inspections ----------------------------------------------------------------------------------


class InspectionViewSet(_ApiViewSet):
    """Inspections and supervisions whose subject is under ``?org=<id>``; open until concluded,
    then read-only (a central officer may reopen one)."""

    serializer_class = InspectionOutputSerializer
    filterset_class = None

    def get_queryset(self):
        return Inspection.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, required=True),
            OpenApiParameter("kind", str, enum=InspectionKind.values),
            OpenApiParameter("year", int),
        ],
        responses={200: InspectionOutputSerializer(many=True), 400: VALIDATION_ERROR},
    )
    def list(self, request):
        rows = selectors.inspections_under(_org_param(request)).select_related(
            "subject_org", "subject_member"
        )
        kind = request.query_params.get("kind", "")
        if kind in InspectionKind.values:
            rows = rows.filter(kind=kind)
        year = request.query_params.get("year", "")
        if year.isdigit():
            rows = rows.filter(started_on__year=int(year))
        page = self.paginate_queryset(rows.order_by("-started_on", "-id"))
        return self.get_paginated_response(InspectionOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: InspectionOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(InspectionOutputSerializer(access_inspection(request.user, pk)).data)

    @extend_schema(
        request=InspectionInputSerializer,
        responses={201: InspectionOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        """Record an inspection of one organisation or one member."""
        require_signed_in(request.user)
        data = dict(_parse(InspectionInputSerializer, request.data))
        if data.get("subject_org") is not None:
            access_party_org(request.user, data["subject_org"].pk, action="edit")
        elif data.get("subject_member") is not None:
            access_member(request.user, data["subject_member"].pk, action="edit")
        else:
            raise ApiValidationError(
                _("An inspection is of one organisation or of one member, not both.")
            )
        row = services.inspection_create(actor=request.user, **data)
        return Response(InspectionOutputSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InspectionUpdateSerializer,
        responses={200: InspectionOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def partial_update(self, request, pk):
        """Change an open inspection; a concluded one is refused (400)."""
        inspection = access_inspection(request.user, pk, action="edit")
        changes = _parse(InspectionUpdateSerializer, request.data, partial=True)
        row = services.inspection_update(actor=request.user, inspection=inspection, **changes)
        return Response(InspectionOutputSerializer(row).data)

    @extend_schema(
        request=InspectionConclusionInputSerializer,
        responses={200: InspectionOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk):
        """Record the conclusion (not before the start); the inspection is read-only after."""
        inspection = access_inspection(request.user, pk, action="edit")
        data = _parse(InspectionConclusionInputSerializer, request.data)
        row = services.inspection_conclude(actor=request.user, inspection=inspection, **data)
        return Response(InspectionOutputSerializer(row).data)

    @extend_schema(
        request=InspectionReopenInputSerializer,
        responses={200: InspectionOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk):
        """Open a concluded inspection again, with a reason (central officers)."""
        inspection = access_inspection(request.user, pk, action="reopen")
        data = _parse(InspectionReopenInputSerializer, request.data)
        row = services.inspection_reopen(actor=request.user, inspection=inspection, **data)
        return Response(InspectionOutputSerializer(row).data)


# --- training courses -----------------------------------------------------------------------------


class CourseViewSet(_ApiViewSet):
    """Training courses organised under ``?org=<id>``."""

    serializer_class = CourseOutputSerializer
    filterset_class = None

    def get_queryset(self):
        return Course.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, required=True),
            OpenApiParameter("kind", str, enum=CourseKind.values),
            OpenApiParameter("year", int),
        ],
        responses={200: CourseOutputSerializer(many=True), 400: VALIDATION_ERROR},
    )
    def list(self, request):
        rows = selectors.courses_under(_org_param(request))
        kind = request.query_params.get("kind", "")
        if kind in CourseKind.values:
            rows = rows.filter(kind=kind)
        year = request.query_params.get("year", "")
        if year.isdigit():
            rows = rows.filter(started_on__year=int(year))
        page = self.paginate_queryset(rows.order_by("-started_on", "-id"))
        return self.get_paginated_response(CourseOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: CourseOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk):
        return Response(CourseOutputSerializer(access_course(request.user, pk)).data)

    @extend_schema(
        request=CourseInputSerializer,
        responses={201: CourseOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request):
        require_signed_in(request.user)
        data = dict(_parse(CourseInputSerializer, request.data))
        organizer = access_party_org(request.user, data.pop("organizer").pk, action="edit")
        course = services.course_create(actor=request.user, organizer=organizer, **data)
        return Response(CourseOutputSerializer(course).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CourseUpdateSerializer,
        responses={200: CourseOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def partial_update(self, request, pk):
        course = access_course(request.user, pk, action="edit")
        changes = _parse(CourseUpdateSerializer, request.data, partial=True)
        return Response(
            CourseOutputSerializer(
                services.course_update(actor=request.user, course=course, **changes)
            ).data
        )


class ParticipantViewSet(_ApiViewSet):
    """The participants of a course: add (a member, or a non-member), record the result
    (PATCH), take off (DELETE; not one holding a certificate)."""

    serializer_class = CourseParticipantOutputSerializer
    filterset_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return CourseParticipant.objects.none()

    def _course(self, action="view"):
        return access_course(self.request.user, self.kwargs["course_pk"], action=action)

    def _participant(self, course, pk):
        return get_object_or_404(
            CourseParticipant.objects.select_related("member", "course"), course=course, pk=pk
        )

    @extend_schema(responses={200: CourseParticipantOutputSerializer(many=True), 404: NOT_FOUND})
    def list(self, request, course_pk):
        rows = self._course().participants.select_related("member").order_by("id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CourseParticipantOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: CourseParticipantOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, course_pk, pk):
        return Response(
            CourseParticipantOutputSerializer(self._participant(self._course(), pk)).data
        )

    @extend_schema(
        request=CourseParticipantInputSerializer,
        responses={201: CourseParticipantOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def create(self, request, course_pk):
        course = self._course("edit")
        data = _parse(CourseParticipantInputSerializer, request.data)
        row = services.course_participant_add(actor=request.user, course=course, **data)
        return Response(CourseParticipantOutputSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CourseResultInputSerializer,
        responses={200: CourseParticipantOutputSerializer, 400: VALIDATION_ERROR, 403: FORBIDDEN},
    )
    def partial_update(self, request, course_pk, pk):
        """Record the result: completed (with the date and an optional certificate number,
        unique on the course) or not completed."""
        participant = self._participant(self._course("edit"), pk)
        data = _parse(CourseResultInputSerializer, request.data)
        row = services.course_result_record(actor=request.user, participant=participant, **data)
        return Response(CourseParticipantOutputSerializer(row).data)

    @extend_schema(responses={204: None, 400: VALIDATION_ERROR, 403: FORBIDDEN})
    def destroy(self, request, course_pk, pk):
        participant = self._participant(self._course("edit"), pk)
        services.course_participant_remove(actor=request.user, participant=participant)
        return Response(status=status.HTTP_204_NO_CONTENT)
