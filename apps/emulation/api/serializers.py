"""Pact API serializers: one input serializer per write, output serializers per shape.

Input serializers only parse; the rules (draft only, state machine, one pact per term) are in
``apps.emulation.services``, whose ``ValidationError`` becomes a 400.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.emulation import selectors
from apps.emulation.choices import CriterionKind, PactState, ScoringMethod, TieBreakKey
from apps.emulation.models import ContentGroup, Criterion, Pact, PactSignature
from apps.organizations.api.fields import EnumChoiceField, IdField
from apps.organizations.api.serializers import UnitRefSerializer
from apps.organizations.models import ClusterTerm

POINTS = {"max_digits": 6, "decimal_places": 2}


class CriterionOutputSerializer(serializers.ModelSerializer):
    kind = EnumChoiceField(CriterionKind, read_only=True)
    scoring_method = EnumChoiceField(ScoringMethod, read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "group",
            "position",
            "title",
            "kind",
            "max_points",
            "scoring_method",
            "guidance",
            "evidence_required",
        ]


class ContentGroupOutputSerializer(serializers.ModelSerializer):
    criteria = CriterionOutputSerializer(many=True, read_only=True)

    class Meta:
        model = ContentGroup
        fields = ["id", "pact", "position", "code", "title", "criteria"]


class SignatureOutputSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    signed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PactSignature
        fields = ["unit", "signed_by", "signed_at"]


class PactListOutputSerializer(serializers.ModelSerializer):
    state = EnumChoiceField(PactState, read_only=True)

    class Meta:
        model = Pact
        fields = ["id", "term", "version", "state", "title", "signed_at", "closed_at"]


class TotalsSerializer(serializers.Serializer):
    criteria = serializers.DecimalField(**POINTS)
    bonus_cap = serializers.DecimalField(**POINTS)
    penalty_cap = serializers.DecimalField(**POINTS)
    criteria_count = serializers.IntegerField()


class PactOutputSerializer(serializers.ModelSerializer):
    """A pact with its content, computed totals and signatures (signed and missing units)."""

    state = EnumChoiceField(PactState, read_only=True)
    groups = ContentGroupOutputSerializer(many=True, read_only=True)
    signatures = SignatureOutputSerializer(many=True, read_only=True)
    missing_signatures = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Pact
        fields = [
            "id",
            "term",
            "version",
            "state",
            "title",
            "description",
            "tie_break",
            "supersedes",
            "amendment_reason",
            "opened_at",
            "signed_at",
            "closed_at",
            "totals",
            "groups",
            "signatures",
            "missing_signatures",
        ]

    def get_totals(self, pact) -> dict:
        return TotalsSerializer(selectors.pact_totals(pact=pact)).data

    def get_missing_signatures(self, pact) -> list[dict]:
        missing = selectors.pact_signature_status(pact=pact).missing
        return UnitRefSerializer(missing, many=True).data


class _TieBreakField(serializers.ListField):
    child = EnumChoiceField(TieBreakKey)


class PactInputSerializer(serializers.Serializer):
    term = IdField(queryset=ClusterTerm.objects.all(), label=_("Term"))
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    tie_break = _TieBreakField(required=False)


class PactUpdateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    tie_break = _TieBreakField(required=False)


class PactCopyInputSerializer(serializers.Serializer):
    term = IdField(queryset=ClusterTerm.objects.all(), label=_("Term"))
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PactAmendInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ContentGroupInputSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    code = serializers.CharField(max_length=10)
    title = serializers.CharField(max_length=300)


class CriterionInputSerializer(serializers.Serializer):
    group = IdField(queryset=ContentGroup.objects.all(), label=_("Content group"))
    position = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    title = serializers.CharField(max_length=500)
    kind = EnumChoiceField(CriterionKind, required=False)
    max_points = serializers.DecimalField(**POINTS)
    scoring_method = EnumChoiceField(ScoringMethod, required=False)
    guidance = serializers.CharField(required=False, allow_blank=True)
    evidence_required = serializers.CharField(required=False, allow_blank=True)


class CriterionUpdateInputSerializer(CriterionInputSerializer):
    group = None


GROUP_NOT_IN_PACT = _("This content group belongs to another pact.")
