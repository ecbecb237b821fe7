"""Services of the awards app, one module per step; import from the package."""

from apps.awards.services.catalog import *  # noqa: F403
from apps.awards.services.decisions import *  # noqa: F403
from apps.awards.services.proposals import *  # noqa: F403
from apps.awards.services.rules import *  # noqa: F403
