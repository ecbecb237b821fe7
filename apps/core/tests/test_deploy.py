"""Deployment: the documented production configuration (docs/deployment.md) passes
`check --deploy` cleanly, and the translations compile without GNU gettext."""

from __future__ import annotations

import gettext
import os
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.core.management.commands import compile_translations

# Variables of the running test session that must not leak into the production-like process.
SESSION_ONLY = {
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "THIDUA_HTTPS",
    "THIDUA_VAR_DIR",
    "THIDUA_STATIC_FINDERS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_deploy_check(tmp_path, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in SESSION_ONLY}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "thidua.example.gov.vn",
            "THIDUA_HTTPS": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'thidua.sqlite3'}",
            "THIDUA_VAR_DIR": str(tmp_path / "var"),
        }
    )
    env.update(overrides)
    return subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_configuration_passes_check_deploy(tmp_path):
    result = run_deploy_check(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "ERROR" not in output, output
    assert "System check identified no issues" in output, output


def test_debug_on_fails_check_deploy(tmp_path):
    # The same check must be able to fail: DEBUG=1 in production is security.W018.
    result = run_deploy_check(tmp_path, DEBUG="1")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "security.W018" in output, output


# Deployment compiles the translations without GNU gettext: `manage.py compile_translations`.

PO_HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: vi\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

"""


def _compile(tmp_path, monkeypatch, po_text: str | None) -> str:
    if po_text is not None:
        po_dir = tmp_path / "vi" / "LC_MESSAGES"
        po_dir.mkdir(parents=True)
        (po_dir / "django.po").write_text(PO_HEADER + po_text, encoding="utf-8")
    monkeypatch.setattr(compile_translations, "locale_dirs", lambda: [tmp_path])
    out = StringIO()
    call_command("compile_translations", stdout=out)
    return out.getvalue()


def test_compile_translations_writes_a_mo_that_gettext_reads(tmp_path, monkeypatch):
    output = _compile(
        tmp_path,
        monkeypatch,
        'msgid "Clusters"\nmsgstr "Cụm thi đua"\n\n#, fuzzy\nmsgid "Units"\nmsgstr "Đơn vị"\n',
    )
    assert "1 translated messages" in output
    with (tmp_path / "vi" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Clusters") == "Cụm thi đua"
    assert catalog.gettext("Units") == "Units"  # fuzzy entries are left out, as msgfmt does


def test_compile_translations_fails_loudly_on_a_syntax_error(tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="syntax error"):
        _compile(tmp_path, monkeypatch, 'msgid "Clusters"\nmsgstr "Cụm thi đua\n')


def test_compile_translations_rejects_a_broken_placeholder(tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="placeholder"):
        _compile(
            tmp_path,
            monkeypatch,
            '#, python-format\nmsgid "%(count)s units"\nmsgstr "%(so)s đơn vị"\n',
        )


def test_compile_translations_without_po_files(tmp_path, monkeypatch):
    assert "nothing to compile" in _compile(tmp_path, monkeypatch, None)
