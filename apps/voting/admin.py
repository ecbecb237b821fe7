from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.voting.models import Ballot, BallotCandidate, VoterRecord

# Ballot papers are deliberately not in the admin: before publication they are a running count
# that nobody may see, and afterwards the published list is the place to read them.


class CandidateInline(admin.TabularInline):
    model = BallotCandidate
    fields = ["position", "unit"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["question", "term", "state", "electorate_size", "opened_at", "closed_at"]
    list_filter = ["state"]
    search_fields = ["question"]
    inlines = [CandidateInline]


@admin.register(VoterRecord)
class VoterRecordAdmin(ReadOnlyAdmin):
    list_display = ["ballot", "unit", "voted_by", "voted_at"]
