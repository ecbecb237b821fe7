from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "apps.funds"
    label = "funds"
    verbose_name = _("Support fund")

    def ready(self) -> None:
        from apps.accounts.permissions import access_fund_entry
        from apps.core.history import register_history
        from apps.funds.models import FundEntry

        register_history(FundEntry, access_fund_entry)
