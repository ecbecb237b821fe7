from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "apps.awards"
    label = "awards"
    verbose_name = _("Awards")

    def ready(self):
        from apps.accounts.permissions import access_award_record, access_proposal
        from apps.awards.models import AwardRecord, Proposal
        from apps.core.history import register_history

        register_history(Proposal, access_proposal)
        register_history(AwardRecord, access_award_record)
