"""Services of the emulation year, one module per step; import from the package."""

from apps.emulation.services.assessment import *  # noqa: F403
from apps.emulation.services.pact import *  # noqa: F403
from apps.emulation.services.reviews import *  # noqa: F403
from apps.emulation.services.scoring import *  # noqa: F403
