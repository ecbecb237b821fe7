"""Compile the project's .po catalogs to .mo with Babel, so no GNU gettext is needed.

``make setup`` runs it: the .mo files are build output (ignored by git). It compiles every
``django.po`` and ``djangojs.po`` under ``LOCALE_PATHS`` and under the ``locale/`` folder of the
project's own apps (never Django's or a library's, which ship their .mo). Like ``msgfmt`` it
leaves out fuzzy and untranslated entries; unlike a silent fallback it stops with an error on a
syntax error or a broken placeholder, naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DOMAINS = ("django.po", "djangojs.po")

# Babel's reader forgives some damage that msgfmt rejects (an unterminated string reads as empty),
# so every line that is not a comment must be a keyword with one quoted string, or a quoted string.
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_QUOTED}$")


def locale_dirs() -> list[Path]:
    """The project's locale folders: LOCALE_PATHS, then each project app's ``locale/``."""
    base = Path(settings.BASE_DIR).resolve()
    found: list[Path] = [Path(p).resolve() for p in settings.LOCALE_PATHS]
    for app_config in apps.get_app_configs():
        app_locale = Path(app_config.path).resolve() / "locale"
        if app_locale.is_relative_to(base) and ".venv" not in app_locale.parts:
            found.append(app_locale)
    unique: list[Path] = []
    for path in found:
        if path.is_dir() and path not in unique:
            unique.append(path)
    return unique


def po_files() -> list[Path]:
    files: list[Path] = []
    for directory in locale_dirs():
        for domain in DOMAINS:
            files.extend(sorted(directory.glob(f"*/LC_MESSAGES/{domain}")))
    return files


def _locale_for(po_path: Path) -> Locale | None:
    # <locale dir>/<lang>/LC_MESSAGES/django.po
    try:
        return Locale.parse(po_path.parent.parent.name)
    except (ValueError, UnknownLocaleError):
        return None


class Command(BaseCommand):
    help = "Compile the project's .po files to .mo with Babel (GNU gettext is not needed)."

    def handle(self, *args, **options):
        files = po_files()
        if not files:
            self.stdout.write("No .po files found: nothing to compile.")
            return
        base = Path(settings.BASE_DIR).resolve()
        for po_path in files:
            shown = po_path.relative_to(base) if po_path.is_relative_to(base) else po_path
            syntax_errors = lint_po(po_path.read_text(encoding="utf-8", errors="replace"))
            if syntax_errors:
                raise CommandError(
                    "\n".join(
                        f"{shown}:{lineno}: syntax error: {line}" for lineno, line in syntax_errors
                    )
                )
            try:
                with po_path.open("rb") as handle:
                    catalog = read_po(handle, locale=_locale_for(po_path), abort_invalid=True)
            except PoFileError as exc:
                raise CommandError(f"{shown}: {exc}") from exc
            except (UnicodeDecodeError, ValueError) as exc:
                raise CommandError(f"{shown}: cannot be read: {exc}") from exc

            problems = [
                f"{shown}:{message.lineno}: {message.id!r}: {error}"
                for message, errors in catalog.check()
                for error in errors
            ]
            if problems:
                raise CommandError(
                    "Broken translations (placeholders must match the source):\n"
                    + "\n".join(problems)
                )

            translated = sum(
                1 for m in catalog if m.id and m.string and not m.fuzzy and _complete(m.string)
            )
            mo_path = po_path.with_suffix(".mo")
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            self.stdout.write(f"Compiled {shown} ({translated} translated messages)")


def lint_po(text: str) -> list[tuple[int, str]]:
    """Lines that are neither blank, a comment, a keyword with a string, nor a continuation."""
    errors = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not _PO_LINE.match(line):
            errors.append((lineno, line))
    return errors


def _complete(string) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)
