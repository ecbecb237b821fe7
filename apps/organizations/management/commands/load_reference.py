"""Load the province reference data (63 + 34 provinces and the 2025 merger map).

Idempotent: running it again changes nothing and records no audit event. The demo loader and the
test fixtures call ``load_reference()`` from here, so there is one way in.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.organizations.models import Province, ProvinceSuccession
from apps.organizations.services import reference_provinces_load

PROVINCES_FILE = Path(__file__).resolve().parents[2] / "data" / "provinces.json"


@functools.cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def read_provinces_file(path: Path = PROVINCES_FILE) -> dict:
    """The parsed reference file (a fresh dict each call; the text is read once per process)."""
    return json.loads(_read(Path(path)))


def load_reference(*, actor=None, path: Path = PROVINCES_FILE) -> dict[str, int]:
    """Load the file through the audited service; returns its counts of rows written."""
    return reference_provinces_load(actor=actor, data=read_provinces_file(path))


class Command(BaseCommand):
    help = "Load the provinces of both schemes and the 2025 merger map (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=PROVINCES_FILE,
            help="Reference file to load (default: the project's data/provinces.json).",
        )

    def handle(self, *args, **options):
        result = load_reference(path=options["file"])
        self.stdout.write(summary_line(result))


def summary_line(result: dict[str, int]) -> str:
    return _(
        "Provinces: %(created)d created, %(updated)d updated, %(successions)d successions "
        "written; the database now holds %(provinces)d provinces and %(rows)d successions."
    ) % {
        **result,
        "provinces": Province.objects.count(),
        "rows": ProvinceSuccession.objects.count(),
    }
