from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "apps.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from apps.accounts.permissions import access_cluster, access_term, access_unit
        from apps.core.history import register_history
        from apps.organizations.models import Cluster, ClusterTerm, Unit

        register_history(Unit, access_unit)
        register_history(Cluster, access_cluster)
        register_history(ClusterTerm, access_term)
