from __future__ import annotations

from mailings.models.mailings import Audience, Mailing, MailingVariant

__all__ = ["Audience", "Mailing", "MailingVariant"]
