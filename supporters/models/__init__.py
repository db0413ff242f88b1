from __future__ import annotations

from supporters.models.confirmations import CONFIRMATION_LINK_AGE, Confirmation
from supporters.models.supporters import Supporter

__all__ = ["CONFIRMATION_LINK_AGE", "Confirmation", "Supporter"]
