from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "apps.emulation"
    label = "emulation"
    verbose_name = _("Emulation")

    def ready(self) -> None:
        from apps.accounts.permissions import access_pact
        from apps.core.history import register_history
        from apps.emulation.models import Pact

        register_history(Pact, access_pact)
