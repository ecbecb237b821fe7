"""Load the reference data and the demo data set (cluster 1, 2023–2026) with one account per role.

Idempotent: a second run creates nothing and records no audit event; it prints the logins again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.organizations.demo import DEMO_PASSWORD, USERS, DemoData, load_demo
from apps.organizations.management.commands.load_reference import summary_line


class Command(BaseCommand):
    help = (
        "Load the demo data: cluster 1 of the Party Organization sector, 2023–2026, and accounts."
    )

    def handle(self, *args, **options):
        demo = load_demo(year_records=True)
        self.stdout.write(summary_line(demo.reference))
        records = demo.year_records
        if records is not None:
            self.stdout.write(
                _(
                    "The 2025 year-end of cluster 1 (illustrative): %(assessments)d "
                    "self-assessments, %(sheets)d score sheets, ranking and vote published."
                )
                % {"assessments": records.assessments, "sheets": records.sheets}
            )
        if demo.created:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo data created: units %(units)d, successions %(successions)d, "
                        "clusters %(clusters)d, terms %(terms)d, accounts %(users)d."
                    )
                    % {
                        key: demo.created[key]
                        for key in ("units", "successions", "clusters", "terms", "users")
                    }
                )
            )
        else:
            self.stdout.write(_("Demo data already present; nothing changed."))
        self.stdout.write(self.logins_table(demo))

    def logins_table(self, demo: DemoData) -> str:
        header = (_("Username"), _("Role"), _("Unit"), _("Full name"))
        rows = [header]
        for spec in USERS:
            user = demo.users[spec.username]
            unit = user.unit.short_name if user.unit else ""
            rows.append((user.username, str(user.get_role_display()), unit, user.full_name))
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

        def line(row) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))

        rule = "  ".join("-" * width for width in widths)
        return "\n".join(
            [
                "",
                _("Demo accounts (password for all: %(password)s)") % {"password": DEMO_PASSWORD},
                line(rows[0]),
                rule,
                *(line(row) for row in rows[1:]),
            ]
        )
