from __future__ import annotations

from campaigns.models.campaigns import Campaign

__all__ = ["Campaign"]
