"""Selectors of the emulation year, one module per step; import from the package."""

from apps.emulation.selectors.assessment import *  # noqa: F403
from apps.emulation.selectors.dashboard import *  # noqa: F403
from apps.emulation.selectors.pact import *  # noqa: F403
from apps.emulation.selectors.reviews import *  # noqa: F403
from apps.emulation.selectors.scoring import *  # noqa: F403
