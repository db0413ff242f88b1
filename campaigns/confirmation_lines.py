"""What a confirmation link confirms, in the signer's words: each signature and letter waiting on it.

Registered with supporters.covered in CampaignsConfig.ready, so the page that asks to confirm lists
what pressing its button counts or sends, and nobody confirms more than they can see.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from campaigns.models import Letter, Signature
from supporters import covered
from supporters.models import Confirmation


def signatures_waiting(confirmation: Confirmation) -> list[StrOrPromise]:
    waiting = Signature.objects.filter(confirmation=confirmation).select_related("petition", "place")
    return [
        _("Your signature on “%(petition)s”, for %(place)s.")
        % {"petition": signature.petition.title, "place": signature.place}
        for signature in waiting.order_by("pk")
    ]


def letters_waiting(confirmation: Confirmation) -> list[StrOrPromise]:
    waiting = Letter.objects.filter(confirmation=confirmation).select_related("letter_campaign", "place")
    return [
        _("Your letter to the officials of %(place)s (“%(drive)s”): it is sent when you confirm.")
        % {"drive": letter.letter_campaign.title, "place": letter.place}
        for letter in waiting.order_by("pk")
    ]


def register_lines() -> None:
    covered.register("letters", letters_waiting)
    covered.register("petitions", signatures_waiting)
