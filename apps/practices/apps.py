from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "apps.practices"
    label = "practices"
    verbose_name = _("Good practices")

    def ready(self) -> None:
        from apps.accounts.permissions import access_practice
        from apps.core.history import register_history
        from apps.practices.models import GoodPractice

        register_history(GoodPractice, access_practice)
