from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role


class User(AbstractUser):
    """A person who signs in. Belongs to one unit and holds one role.

    Cluster-secretariat rights are not stored here: they follow from the unit being the leader or a
    deputy of a cluster term (see ``apps.accounts.permissions``).
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def is_sector_manager(self) -> bool:
        """Central officers and administrators manage the sector's units and clusters."""
        return self.is_active and (
            self.role in {Role.ADMIN, Role.CENTRAL_OFFICER} or self.is_superuser
        )
