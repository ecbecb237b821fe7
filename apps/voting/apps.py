from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "apps.voting"
    label = "voting"
    verbose_name = _("Acclamation votes")

    def ready(self) -> None:
        from apps.accounts.permissions import access_ballot
        from apps.core.history import register_history
        from apps.voting.models import Ballot

        register_history(Ballot, access_ballot)
