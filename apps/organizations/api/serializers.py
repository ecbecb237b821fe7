"""API serializers: one input serializer per write, output serializers per shape.

Input serializers only parse and type-check; every rule (dates in order, leader is a member, one
cluster per year…) lives in ``apps.organizations.services``, whose ``ValidationError`` the API turns
into a 400 with field errors (``apps.core.api.exception_handler``).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.permissions import can_edit_term_notes, can_manage_sector
from apps.organizations.api.fields import DateField, EnumChoiceField, IdField
from apps.organizations.choices import ClusterKind, ProvinceKind, UnitKind
from apps.organizations.models import (
    Cluster,
    ClusterTerm,
    Province,
    Sector,
    TermMembership,
    Unit,
)

# Years a term may have: keeps ``date(year, 1, 1)`` in the services well inside the calendar.
MIN_YEAR, MAX_YEAR = 1990, 2100


# --- references used inside other outputs ---------------------------------------------------------


class ProvinceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "scheme", "code", "name"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "short_name", "name"]


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name"]


class ClusterRefSerializer(serializers.ModelSerializer):
    kind = EnumChoiceField(ClusterKind, read_only=True)

    class Meta:
        model = Cluster
        fields = ["id", "kind", "number", "name"]


# --- provinces ------------------------------------------------------------------------------------


class ProvinceSuccessorSerializer(serializers.Serializer):
    province = ProvinceRefSerializer(source="successor")
    effective_date = serializers.DateField()
    legal_basis = serializers.CharField()


class ProvincePredecessorSerializer(serializers.Serializer):
    province = ProvinceRefSerializer(source="predecessor")
    effective_date = serializers.DateField()
    legal_basis = serializers.CharField()


class ProvinceOutputSerializer(serializers.ModelSerializer):
    """A province with the merger it took part in: its successor (old scheme) or predecessors."""

    kind = EnumChoiceField(ProvinceKind, read_only=True)
    successor = serializers.SerializerMethodField()
    predecessors = ProvincePredecessorSerializer(
        source="successions_as_successor", many=True, read_only=True
    )

    class Meta:
        model = Province
        fields = [
            "id",
            "scheme",
            "code",
            "cccd_code",
            "name",
            "kind",
            "valid_from",
            "valid_to",
            "successor",
            "predecessors",
        ]

    @extend_schema_field(ProvinceSuccessorSerializer(allow_null=True))
    def get_successor(self, province: Province):
        # Prefetched by the view: at most one row (the constraint allows one successor).
        rows = list(province.successions_as_predecessor.all())
        return ProvinceSuccessorSerializer(rows[0]).data if rows else None


# --- units ---------------------------------------------------------------------------------------


class UnitListOutputSerializer(serializers.ModelSerializer):
    kind = EnumChoiceField(UnitKind, read_only=True)
    province = ProvinceRefSerializer(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "province",
            "active_from",
            "active_to",
            "address",
            "phone",
            "email",
        ]


class LineageEntrySerializer(serializers.Serializer):
    """One predecessor of a unit (``selectors.LineageEntry``)."""

    unit = UnitRefSerializer()
    active_from = serializers.DateField(source="unit.active_from", allow_null=True)
    active_to = serializers.DateField(source="unit.active_to", allow_null=True)
    effective_date = serializers.DateField()
    merged_into = UnitRefSerializer()
    legal_basis = serializers.CharField()
    depth = serializers.IntegerField(help_text=_("1 for a direct predecessor, 2 for its own, …"))


class UnitSuccessorSerializer(serializers.Serializer):
    unit = UnitRefSerializer(source="successor")
    effective_date = serializers.DateField()
    legal_basis = serializers.CharField()


class UnitOutputSerializer(UnitListOutputSerializer):
    """A unit with its history: every predecessor (transitively) and its successor if merged.

    The view sets ``lineage`` and ``succession`` on the instance from the selectors.
    """

    lineage = LineageEntrySerializer(many=True, read_only=True)
    successor = UnitSuccessorSerializer(source="succession", allow_null=True, read_only=True)

    class Meta(UnitListOutputSerializer.Meta):
        fields = [*UnitListOutputSerializer.Meta.fields, "lineage", "successor"]


class UnitInputSerializer(serializers.Serializer):
    """Create a unit, or change any of its fields (sector managers)."""

    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=100)
    kind = EnumChoiceField(UnitKind)
    province = IdField(queryset=Province.objects.all(), allow_null=True, required=False)
    active_from = DateField(allow_null=True, required=False)
    active_to = DateField(allow_null=True, required=False)
    address = serializers.CharField(max_length=255, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=50, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)


class UnitContactInputSerializer(serializers.Serializer):
    """What a unit leader may change on their own unit."""

    address = serializers.CharField(max_length=255, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=50, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)


class MergeInputSerializer(serializers.Serializer):
    """Merge ``predecessors`` into the unit named in the URL."""

    predecessors = IdField(queryset=Unit.objects.all(), many=True, allow_empty=False)
    effective_date = DateField()
    legal_basis = serializers.CharField(max_length=255)
    note = serializers.CharField(allow_blank=True, required=False, default="")


class UnitForProvinceQuerySerializer(serializers.Serializer):
    province = IdField(queryset=Province.objects.all(), help_text=_("A province of either scheme."))
    on = DateField(
        required=False, help_text=_("The day asked about (YYYY-MM-DD); today when left out.")
    )


class UnitClusterMembershipSerializer(serializers.ModelSerializer):
    """One year of a unit's (or a predecessor's) cluster history."""

    term = serializers.IntegerField(source="term_id")
    cluster = ClusterRefSerializer(source="term.cluster")
    unit = UnitRefSerializer()

    class Meta:
        model = TermMembership
        fields = ["year", "term", "cluster", "unit", "role"]


# --- clusters ------------------------------------------------------------------------------------


class TermSummarySerializer(serializers.ModelSerializer):
    leader = UnitRefSerializer(allow_null=True, read_only=True)
    deputies = UnitRefSerializer(many=True, read_only=True)
    member_count = serializers.SerializerMethodField()
    host = UnitRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = ClusterTerm
        fields = ["id", "year", "leader", "deputies", "member_count", "host", "review_date"]

    def get_member_count(self, term: ClusterTerm) -> int:
        return len(term.memberships.all())  # prefetched


class ClusterListOutputSerializer(serializers.ModelSerializer):
    kind = EnumChoiceField(ClusterKind, read_only=True)
    sector = SectorRefSerializer(read_only=True)
    years = serializers.SerializerMethodField()

    class Meta:
        model = Cluster
        fields = [
            "id",
            "sector",
            "kind",
            "number",
            "name",
            "supervising_department",
            "description",
            "years",
        ]

    def get_years(self, cluster: Cluster) -> list[int]:
        return [term.year for term in cluster.terms.all()]  # prefetched, newest first


class ClusterOutputSerializer(ClusterListOutputSerializer):
    """A cluster with a summary of every term; the view sets ``term_summaries``."""

    terms = TermSummarySerializer(source="term_summaries", many=True, read_only=True)

    class Meta(ClusterListOutputSerializer.Meta):
        fields = [f for f in ClusterListOutputSerializer.Meta.fields if f != "years"] + ["terms"]


class ClusterInputSerializer(serializers.Serializer):
    sector = IdField(queryset=Sector.objects.all())
    kind = EnumChoiceField(ClusterKind, required=False)
    number = serializers.IntegerField(min_value=1, max_value=32767)
    name = serializers.CharField(max_length=200)
    supervising_department = serializers.CharField(max_length=200, allow_blank=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False)


# --- cluster terms -------------------------------------------------------------------------------


class TermMemberSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = TermMembership
        fields = ["unit", "role"]


class TermListOutputSerializer(TermSummarySerializer):
    cluster = ClusterRefSerializer(read_only=True)

    class Meta(TermSummarySerializer.Meta):
        fields = ["id", "cluster", *TermSummarySerializer.Meta.fields[1:]]


class TermOutputSerializer(TermListOutputSerializer):
    """A term with its members and roles, and what the requesting user may do with it."""

    members = TermMemberSerializer(source="memberships", many=True, read_only=True)
    can_edit = serializers.SerializerMethodField()
    can_edit_notes = serializers.SerializerMethodField()

    class Meta(TermListOutputSerializer.Meta):
        fields = [
            *TermListOutputSerializer.Meta.fields,
            "notes",
            "members",
            "can_edit",
            "can_edit_notes",
        ]

    def get_can_edit(self, term: ClusterTerm) -> bool:
        return can_manage_sector(self.context["request"].user)

    def get_can_edit_notes(self, term: ClusterTerm) -> bool:
        return can_edit_term_notes(self.context["request"].user, term)


def _units_field(**kwargs) -> IdField:
    return IdField(queryset=Unit.objects.all(), **kwargs)


class TermUpdateInputSerializer(serializers.Serializer):
    """Members and roles of a term (the cluster and year of a term never change)."""

    members = _units_field(many=True)
    leader = _units_field(allow_null=True, required=False, default=None)
    deputies = _units_field(many=True, required=False, default=list)
    host = _units_field(allow_null=True, required=False, default=None)
    review_date = DateField(allow_null=True, required=False, default=None)
    notes = serializers.CharField(allow_blank=True, required=False, default="")


class TermInputSerializer(TermUpdateInputSerializer):
    """A new term of a cluster."""

    cluster = IdField(queryset=Cluster.objects.all())
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)


class TermNotesInputSerializer(serializers.Serializer):
    """What the cluster secretariat keeps up to date; fields left out keep their value."""

    notes = serializers.CharField(allow_blank=True, required=False)
    host = _units_field(allow_null=True, required=False)
    review_date = DateField(allow_null=True, required=False)


class TermOpenNextInputSerializer(serializers.Serializer):
    """Leader, deputies and host of next year's term (members are carried forward)."""

    leader = _units_field()
    deputies = _units_field(many=True, required=False, default=list)
    host = _units_field(allow_null=True, required=False, default=None)
