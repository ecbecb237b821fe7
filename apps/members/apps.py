from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "apps.members"
    label = "members"
    verbose_name = _("Party members")

    def ready(self):
        from apps.accounts.permissions import access_member, access_party_org
        from apps.core.history import register_history
        from apps.members.models import Member, PartyOrganization

        register_history(Member, access_member)
        register_history(PartyOrganization, access_party_org)

        from apps.accounts.permissions import access_course, access_inspection
        from apps.members.models import Inspection, TrainingCourse

        register_history(Inspection, access_inspection)
        register_history(TrainingCourse, access_course)
