"""The petition page's sign form: the API's field rules (campaigns.signature_input), as HTML fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from campaigns import signature_input as rules
from campaigns.models import OfficialsSee, Petition, Place
from campaigns.signing import SignatureForm
from privacy.ip_hashes import client_ip_hash
from privacy.network import client_ip
from supporters.identity import MAX_ADDRESS_LENGTH


class SignForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=rules.NAME_MAX_LENGTH,
        validators=[rules.reject_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=MAX_ADDRESS_LENGTH,
        validators=[rules.reject_control_characters],
        help_text=_("We send you a link to confirm your signature. It counts once you confirm."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    zip = forms.CharField(
        label=_("ZIP code"),
        max_length=5,
        validators=[rules.zip_code_validator],
        help_text=_("So your signature counts for your town."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    # Offered only when the ZIP code covers more than one place the petition is for.
    place = forms.TypedChoiceField(label=_("Your town"), coerce=int, required=False, empty_value=None)
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
    email_updates = forms.BooleanField(label=_("E-mail me updates about this campaign"), required=False)
    officials_see = forms.ChoiceField(
        label=_("What the officials we deliver the petition to may see"),
        choices=rules.OFFICIALS_SEE_CHOICES,
        initial=OfficialsSee.COUNT.value,
        widget=forms.RadioSelect,
    )
    street_address = forms.CharField(
        label=_("Street address"),
        required=False,
        max_length=rules.STREET_ADDRESS_MAX_LENGTH,
        validators=[rules.reject_control_characters],
        help_text=_("Only if officials may see your name and full address; otherwise leave it empty."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    referrer = forms.CharField(
        required=False,
        max_length=rules.REFERRER_MAX_LENGTH,
        validators=[rules.reject_control_characters, rules.referrer_validator],
        widget=forms.HiddenInput,
    )
    # The honeypot: hidden from people by the page's CSS and from assistive technology, never filled by them.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, petition: Petition, request: HttpRequest, **kwargs: Any) -> None:
        # Labels are whole sentences ("E-mail me updates…"): no colon after them.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.petition, self.request = petition, request
        self.signature: SignatureForm | None = None
        zip_code = self.data.get("zip", "") if self.is_bound else ""
        self.place_choices: list[Place] = rules.places_for_zip(petition, zip_code) if zip_code else []
        place_field: Any = self.fields["place"]
        place_field.choices = [("", _("Choose your town")), *((place.pk, str(place)) for place in self.place_choices)]

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
            self._add_shared_errors(error)
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

    def _add_shared_errors(self, error: ValidationError) -> None:
        for field, errors in error.error_dict.items():
            if field not in self.fields:
                self.add_error(None, errors)  # the anti-bot checks: about the form as a whole
            elif field == "place" and any(e.code == rules.AMBIGUOUS_PLACE for e in errors):
                # The API lists the places with their ids; here they are the choices below the message.
                self.add_error("place", _("Your ZIP code covers more than one town: choose yours."))
            else:
                self.add_error(field, errors)
