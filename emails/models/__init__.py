from emails.models.bulk import BulkSend
from emails.models.outbound import DELIVERABLE, UNFINISHED, MessageEvent, OutboundMessage, Status, history
from emails.models.suppression import EVERY_LIST, Suppression, Unsubscribe

__all__ = [
    "DELIVERABLE",
    "EVERY_LIST",
    "UNFINISHED",
    "BulkSend",
    "MessageEvent",
    "OutboundMessage",
    "Status",
    "Suppression",
    "Unsubscribe",
    "history",
]
