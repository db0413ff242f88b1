from __future__ import annotations

from briefings.models.deliveries import Delivery
from briefings.models.editions import Edition, NamedSupporter, Reason
from briefings.models.preferences import BriefingPreferences, UnverifiedSources

__all__ = ["BriefingPreferences", "Delivery", "Edition", "NamedSupporter", "Reason", "UnverifiedSources"]
