"""Finds the per-app scenario modules the suite-wide tests combine.

Each app may keep ``apps/<app>/tests/scenarios.py`` or ``scenarios_<step>.py`` with
``audit_scenarios()`` (one call per service, for ``test_audit``) and/or
``matrix_rows(Endpoint, READ, MANAGERS)`` (rows for ``test_permission_matrix``).
"""

import importlib
import pkgutil
from types import ModuleType

import apps


def scenario_modules() -> list[ModuleType]:
    found = []
    for info in sorted(pkgutil.walk_packages(apps.__path__, "apps."), key=lambda m: m.name):
        last = info.name.rsplit(".", 1)[-1]
        if ".tests." in info.name and (last == "scenarios" or last.startswith("scenarios_")):
            found.append(importlib.import_module(info.name))
    return found
