from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceScheme(models.TextChoices):
    """The two administrative schemes: a code means different provinces in each."""

    PRE_2025 = "63", _("63 provinces (until 30/06/2025)")
    POST_2025 = "34", _("34 provinces (from 01/07/2025)")


class ProvinceKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-run city")


class UnitKind(models.TextChoices):
    CENTRAL_COMMISSION = "central", _("Central Organization Commission")
    PROVINCIAL_BOARD = "provincial", _("Provincial Organization Board")
    OTHER = "other", _("Other party body")


class ClusterKind(models.TextChoices):
    CLUSTER = "cluster", _("Emulation cluster")
    BLOCK = "block", _("Emulation block")


class TermRole(models.TextChoices):
    MEMBER = "member", _("Member")
    LEADER = "leader", _("Cluster leader")
    DEPUTY = "deputy", _("Deputy leader")
