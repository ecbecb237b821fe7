"""Discard member imports checked but not confirmed within a week (their staged lines).

Uploads do this too; run it from cron where uploads are rare: ``manage.py discard_stale_imports``.
"""

from django.core.management.base import BaseCommand

from apps.members.services import STALE_IMPORT_DAYS, member_imports_discard_stale


class Command(BaseCommand):
    help = f"Discard member imports not confirmed within {STALE_IMPORT_DAYS} days."

    def handle(self, *args, **options):
        count = member_imports_discard_stale(actor=None)
        self.stdout.write(f"{count} stale import(s) discarded")
