"""Pages of the awards app, one module per part; import from the package."""

from apps.awards.views.catalog import *  # noqa: F403
from apps.awards.views.history import *  # noqa: F403
from apps.awards.views.proposals import *  # noqa: F403
from apps.awards.views.rules import *  # noqa: F403
