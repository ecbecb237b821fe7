from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "apps.emulation"
    label = "emulation"
    verbose_name = _("Emulation")

    def ready(self) -> None:
        from apps.accounts.permissions import access_pact
        from apps.core.history import register_history
        from apps.emulation.models import Pact

        register_history(Pact, access_pact)

        # reviews and movements: the pages' own checks, with a way back to the page.
        from apps.emulation.models import Movement, ReviewPeriod
        from apps.emulation.views.reviews import (
            history_access_movement,
            history_access_review_period,
        )

        register_history(Movement, history_access_movement)
        register_history(ReviewPeriod, history_access_review_period)

        # self-assessment: the page's own check, with a way back to the page.
        from apps.emulation.models import Assessment
        from apps.emulation.views.assessment import history_access_assessment

        register_history(Assessment, history_access_assessment)

        # cross-scoring: a score sheet's history (line edits, submission), the sheet's own check.
        from apps.emulation.models import ScoreSheet
        from apps.emulation.views.scoring import history_access_score_sheet

        register_history(ScoreSheet, history_access_score_sheet)
