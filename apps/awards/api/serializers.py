"""Input and output shapes of the awards API. Rules live in ``apps.awards.services``."""

from rest_framework import serializers

from apps.awards.choices import (
    AwardCategory,
    CandidateOutcome,
    Outcome,
    ProposalState,
    Recipient,
    RuleKind,
)
from apps.awards.models import AwardType
from apps.emulation.api.assessment import FileUploadSerializer
from apps.organizations.api.fields import EnumChoiceField
from apps.organizations.models import ClusterTerm, Unit

AWARDS = AwardType.objects.all()
UNITS = Unit.objects.all()


class AwardTypeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="award_type.pk")
    code = serializers.CharField(source="award_type.code")
    name = serializers.CharField(source="award_type.name")
    category = EnumChoiceField(AwardCategory, source="award_type.category")
    recipient = EnumChoiceField(Recipient, source="award_type.recipient")
    decided_by = serializers.CharField(source="award_type.decided_by")
    coefficient = serializers.DecimalField(
        source="coefficient.coefficient",
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        default=None,
    )
    prize_amount = serializers.IntegerField(
        source="prize.amount",
        allow_null=True,
        default=None,
        help_text="Prize money in đồng for a decision dated ?on= (rounded up to 10.000 đ).",
    )
    prize_explanation = serializers.CharField(
        source="prize.explanation", allow_null=True, default=None
    )


class RuleOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    award_type = serializers.CharField(source="award_type.code")
    kind = EnumChoiceField(RuleKind)
    applies = serializers.BooleanField()
    years = serializers.IntegerField(allow_null=True)
    required_award = serializers.CharField(
        source="required_award.code", allow_null=True, default=None
    )
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField()


class RuleInputSerializer(serializers.Serializer):
    award_type = serializers.SlugRelatedField(slug_field="code", queryset=AWARDS)
    kind = EnumChoiceField(RuleKind)
    valid_from = serializers.DateField()
    source = serializers.CharField(max_length=300)
    applies = serializers.BooleanField(default=True)
    years = serializers.IntegerField(required=False, allow_null=True, default=None)
    required_award = serializers.SlugRelatedField(
        slug_field="code", queryset=AWARDS, required=False, allow_null=True, default=None
    )
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class QuotaSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    receiver = serializers.PrimaryKeyRelatedField(queryset=UNITS)
    year = serializers.IntegerField()
    award_type = serializers.SlugRelatedField(slug_field="code", queryset=AWARDS)
    count = serializers.IntegerField()
    source = serializers.CharField(max_length=300)


class VerdictSerializer(serializers.Serializer):
    rule = serializers.IntegerField()
    kind = EnumChoiceField(RuleKind)
    label = serializers.CharField()
    outcome = EnumChoiceField(Outcome)
    reason = serializers.CharField()
    source = serializers.CharField()
    valid_from = serializers.DateField()
    data = serializers.DictField()


class CandidateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    position = serializers.IntegerField()
    award_type = serializers.CharField(source="award_type.code")
    award_name = serializers.CharField(source="award_type.name")
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    name = serializers.CharField()
    person_title = serializers.CharField()
    person_birth_date = serializers.DateField(allow_null=True)
    achievements = serializers.CharField()
    votes = serializers.IntegerField(allow_null=True)
    electorate = serializers.IntegerField(allow_null=True)
    members_total = serializers.IntegerField(allow_null=True)
    members_ldtt = serializers.IntegerField(allow_null=True)
    pending_case = serializers.BooleanField()
    outcome = EnumChoiceField(CandidateOutcome)
    review_comment = serializers.CharField()


class CandidateInputSerializer(serializers.Serializer):
    award_type = serializers.SlugRelatedField(slug_field="code", queryset=AWARDS)
    unit = serializers.PrimaryKeyRelatedField(queryset=UNITS, required=False, allow_null=True)
    person_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    person_title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    person_birth_date = serializers.DateField(required=False, allow_null=True)
    achievements = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    votes = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    electorate = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    members_total = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    members_ldtt = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    pending_case = serializers.BooleanField(required=False)


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_state = EnumChoiceField(ProposalState)
    to_state = EnumChoiceField(ProposalState)
    actor = serializers.CharField(source="actor.get_username", allow_null=True, default=None)
    occurred_at = serializers.DateTimeField()
    comment = serializers.CharField()


class ProposalOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    year = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.CharField()
    proposer = serializers.IntegerField(source="proposer_id")
    proposer_name = serializers.CharField(source="proposer.name")
    term = serializers.IntegerField(source="term_id", allow_null=True)
    receiver = serializers.IntegerField(source="receiver_id")
    receiver_name = serializers.CharField(source="receiver.name")
    state = EnumChoiceField(ProposalState)
    achievements = serializers.CharField()
    ballot = serializers.IntegerField(source="ballot_id", allow_null=True)
    deliberated_on = serializers.DateField(allow_null=True)
    deliberation_place = serializers.CharField()
    chair = serializers.CharField()
    secretary = serializers.CharField()
    signer = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class CheckedCandidateSerializer(serializers.Serializer):
    candidate = CandidateOutputSerializer()
    outcome = EnumChoiceField(Outcome)
    verdicts = VerdictSerializer(many=True)


class ProposalDetailSerializer(ProposalOutputSerializer):
    checked_on = serializers.DateField()
    candidates = CheckedCandidateSerializer(many=True)
    events = EventSerializer(many=True)
    decision = serializers.DictField(allow_null=True)


class ProposalInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    year = serializers.IntegerField()
    receiver = serializers.PrimaryKeyRelatedField(queryset=UNITS)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    achievements = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    deliberated_on = serializers.DateField(required=False, allow_null=True)
    deliberation_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    chair = serializers.CharField(max_length=200, required=False, allow_blank=True)
    secretary = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signer = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ProposalPatchSerializer(ProposalInputSerializer):
    title = serializers.CharField(max_length=500, required=False)
    year = None
    receiver = None


class FromTermSerializer(serializers.Serializer):
    term = serializers.PrimaryKeyRelatedField(queryset=ClusterTerm.objects.all())


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    comments = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True),
        required=False,
        default=dict,
        help_text="Candidate id → comment.",
    )


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[CandidateOutcome.ACCEPTED.value, CandidateOutcome.REJECTED.value]
    )
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class PassSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    outcomes = serializers.DictField(child=OutcomeSerializer(), help_text="Candidate id → outcome.")


class DecideSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    signed_on = serializers.DateField()
    signer = serializers.CharField(max_length=200)
    signer_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    issuing_body = serializers.CharField(max_length=200)


class AttachmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class RecordOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    award_type = serializers.CharField(source="award_type.code")
    award_name = serializers.CharField(source="award_type.name")
    year = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    name = serializers.CharField()
    person_birth_date = serializers.DateField(allow_null=True)
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    issuing_body = serializers.CharField()
    prize_amount = serializers.IntegerField(allow_null=True)
    prize_explanation = serializers.CharField()
    certificate_number = serializers.CharField()
    source = serializers.CharField()


class RecordInputSerializer(serializers.Serializer):
    award_type = serializers.SlugRelatedField(slug_field="code", queryset=AWARDS)
    year = serializers.IntegerField()
    unit = serializers.PrimaryKeyRelatedField(queryset=UNITS, required=False, allow_null=True)
    person_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    person_birth_date = serializers.DateField(required=False, allow_null=True)
    person_unit = serializers.PrimaryKeyRelatedField(
        queryset=UNITS, required=False, allow_null=True
    )
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)
    issuing_body = serializers.CharField(max_length=200, required=False, allow_blank=True)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ProposalAttachmentInputSerializer(FileUploadSerializer):
    """The file (multipart), or ``file_name`` with ``content_base64`` (JSON)."""
