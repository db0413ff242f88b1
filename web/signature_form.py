"""The petition's sign form: the API's field rules (campaigns.signature_input), as HTML fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from campaigns import signature_input as rules
from campaigns import signing, throttles
from campaigns.models import OfficialsSee, Petition
from campaigns.signing import SignatureForm
from privacy.ip_hashes import client_ip_hash
from privacy.network import client_ip
from web import supporter_forms as shared


class SignForm(shared.SupporterForm):
    name = shared.name_field()
    email = shared.email_field(help_text=_("We send you a link to confirm your signature. It counts once you confirm."))
    zip = shared.zip_field(help_text=_("So your signature counts for your town."))
    place = shared.place_field()
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=rules.COMMENT_MAX_LENGTH,
        validators=[rules.reject_control_characters_but_line_breaks],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    show_name = forms.BooleanField(
        label=_("Show my first name and last initial publicly, with my town, among the signers"), required=False
    )
    email_updates = shared.email_updates_field()
    officials_see = forms.ChoiceField(
        label=_("What the officials we deliver the petition to may see"),
        choices=rules.OFFICIALS_SEE_CHOICES,
        initial=OfficialsSee.COUNT.value,
        widget=forms.RadioSelect,
    )
    street_address = shared.street_address_field(
        help_text=_("Only if officials may see your name and full address; otherwise leave it empty.")
    )
    referrer = shared.referrer_field()
    website = shared.honeypot_field()

    def __init__(self, *args: Any, scope: Petition, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, scope=scope, request=request, **kwargs)
        self.petition = scope
        self.signature: SignatureForm | None = None

    @property
    def record(self) -> SignatureForm | None:
        return self.signature

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.signature = rules.signature_form(
                petition=self.petition,
                signer=self._signer(cleaned),
                language=translation.get_language() or settings.LANGUAGE_CODE,
                ip_hash=client_ip_hash(self.request),
                sent=self.data,
                client_ip=client_ip(self.request),
            )
        except ValidationError as error:
            self.add_shared_errors(error)
        return cleaned

    def _signer(self, cleaned: dict[str, Any]) -> rules.SignerInput:
        return rules.SignerInput(
            email=cleaned["email"],
            name=cleaned["name"],
            place_id=cleaned.get("place"),
            zip_code=cleaned["zip"],
            comment=cleaned["comment"],
            show_name=cleaned["show_name"],
            email_updates=cleaned["email_updates"],
            officials_see=cleaned["officials_see"],
            street_address=cleaned["street_address"],
            referrer=cleaned["referrer"],
        )


def _save(signature: SignatureForm, visit: shared.Visit) -> object:
    return signing.sign_petition(signature, visit=visit)


SIGNING = shared.Action(
    name="petition",
    max_body_bytes=rules.MAX_BODY_BYTES,
    allows=throttles.allows,
    form=SignForm,
    save=_save,
    remember=rules.remember_in_visit,
)
