"""Views of the emulation year, one module per step; import from the package."""

from apps.emulation.views.assessment import *  # noqa: F403
from apps.emulation.views.dashboard import *  # noqa: F403
from apps.emulation.views.pact import *  # noqa: F403
from apps.emulation.views.reviews import *  # noqa: F403
from apps.emulation.views.scoring import *  # noqa: F403
