"""Input and output shapes of the ballot API. Rules live in ``apps.voting.services``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.organizations.models import ClusterTerm, Unit
from apps.voting.models import Ballot


class BallotInputSerializer(serializers.Serializer):
    term = serializers.PrimaryKeyRelatedField(queryset=ClusterTerm.objects.all())
    question = serializers.CharField(max_length=500)
    candidates = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True)
    max_choices = serializers.IntegerField(min_value=1, default=1)
    electorate_kind = serializers.ChoiceField(
        choices=Ballot._meta.get_field("electorate_kind").choices, default="unit"
    )
    quorum_numerator = serializers.IntegerField(min_value=0, default=1)
    quorum_denominator = serializers.IntegerField(min_value=1, default=2)
    quorum_strict = serializers.BooleanField(default=True)
    threshold_numerator = serializers.IntegerField(min_value=0, default=1)
    threshold_denominator = serializers.IntegerField(min_value=1, default=2)
    threshold_strict = serializers.BooleanField(default=True)
    delegates = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        many=True,
        required=False,
        help_text="Users who vote on a per-delegate ballot (electorate_kind 'delegate').",
    )


class BallotUpdateInputSerializer(BallotInputSerializer):
    term = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CastInputSerializer(serializers.Serializer):
    choices = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class ReceiptQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class CandidateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    position = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")


class DelegateOutputSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user_name")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")


class BallotOutputSerializer(serializers.ModelSerializer):
    candidates = serializers.SerializerMethodField()
    delegates = serializers.SerializerMethodField()
    votes_cast = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = [
            "id",
            "term",
            "question",
            "state",
            "max_choices",
            "electorate_kind",
            "quorum_numerator",
            "quorum_denominator",
            "quorum_strict",
            "threshold_numerator",
            "threshold_denominator",
            "threshold_strict",
            "electorate_size",
            "opened_at",
            "closed_at",
            "published_at",
            "candidates",
            "delegates",
            "votes_cast",
        ]

    def get_candidates(self, ballot) -> list[dict]:
        rows = ballot.candidates.select_related("unit").order_by("position")
        return CandidateOutputSerializer(rows, many=True).data

    @extend_schema_field(DelegateOutputSerializer(many=True))
    def get_delegates(self, ballot) -> list[dict]:
        rows = ballot.delegates.select_related("user", "unit")
        return DelegateOutputSerializer(rows, many=True).data

    def get_votes_cast(self, ballot) -> int:
        """How many have voted (never what they chose)."""
        return ballot.voter_records.count()


class ReceiptOutputSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class CandidateResultSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate.pk")
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    votes = serializers.IntegerField()
    fraction = serializers.CharField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    passed = serializers.BooleanField()
    elected = serializers.BooleanField()


class TallyOutputSerializer(serializers.Serializer):
    ballot = serializers.IntegerField(source="ballot.pk")
    question = serializers.CharField()
    electorate_size = serializers.IntegerField()
    votes_cast = serializers.IntegerField()
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    blank = serializers.IntegerField()
    turnout_fraction = serializers.CharField()
    quorum_votes = serializers.IntegerField()
    quorum_met = serializers.BooleanField()
    threshold_votes = serializers.IntegerField()
    candidates = CandidateResultSerializer(many=True)


class PaperOutputSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    choices = serializers.SerializerMethodField()

    def get_choices(self, paper) -> list[int]:
        return [c.pk for c in paper.choices]
