from __future__ import annotations

from campaigns.models.agencies import Agency, Partnership, Program, Vendor
from campaigns.models.api_tokens import ApiToken
from campaigns.models.campaigns import Campaign
from campaigns.models.dates import DatePrecision
from campaigns.models.embeds import EmbedOrigin
from campaigns.models.exports import SignatureExport
from campaigns.models.invitations import Invitation
from campaigns.models.letters import (
    DeliveryMode,
    Letter,
    LetterCampaign,
    LetterDelivery,
    LettersSee,
    OfficialPosition,
    Position,
)
from campaigns.models.memberships import Membership, Role
from campaigns.models.officials import Official
from campaigns.models.petitions import OfficialsSee, Petition, Review, Signature, SignatureTally
from campaigns.models.places import Place
from campaigns.models.sources import Citation, Source
from campaigns.models.statuses import PlaceStatus, Status, TimelineEvent

__all__ = [
    "Agency",
    "ApiToken",
    "Campaign",
    "Citation",
    "DatePrecision",
    "DeliveryMode",
    "EmbedOrigin",
    "Invitation",
    "Letter",
    "LetterCampaign",
    "LetterDelivery",
    "LettersSee",
    "Membership",
    "Official",
    "OfficialPosition",
    "OfficialsSee",
    "Partnership",
    "Petition",
    "Place",
    "PlaceStatus",
    "Position",
    "Program",
    "Review",
    "Role",
    "Signature",
    "SignatureExport",
    "SignatureTally",
    "Source",
    "Status",
    "TimelineEvent",
    "Vendor",
]
