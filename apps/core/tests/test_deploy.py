"""The documented production configuration (docs/deployment.md) passes `check --deploy` cleanly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings

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
