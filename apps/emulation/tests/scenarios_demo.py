"""Audit scenario of the demo's year-end import (``test_audit``)."""


def audit_scenarios() -> dict:
    def import_year(actor):
        from apps.emulation.demo_year import year_end_records_import
        from apps.organizations.demo import load_demo

        return year_end_records_import(actor=actor, term=load_demo().terms[2025])

    return {"apps.emulation.demo_year.year_end_records_import": import_year}
