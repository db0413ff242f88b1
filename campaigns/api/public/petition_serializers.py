"""Petitions as the public reads them, and what a signer sends. Signers' addresses have no output field."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from rest_framework import serializers

from campaigns import signature_input as rules
from campaigns.models import OfficialsSee, Petition, Place
from privacy.ip_hashes import client_ip_hash
from privacy.network import client_ip
from supporters.identity import MAX_ADDRESS_LENGTH


class PetitionPlaceSerializer(serializers.Serializer[Place]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    state = serializers.CharField()


class PetitionSerializer(serializers.Serializer[Petition]):
    slug = serializers.SlugField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="What signers put their name to.")
    place = PetitionPlaceSerializer(allow_null=True, help_text="The one place it is for; null: every tracked place.")
    count = serializers.SerializerMethodField(help_text="Confirmed signatures that count, as published.")
    signature_goal = serializers.IntegerField(allow_null=True)
    consent_version = serializers.CharField(help_text="The version of the consent wording signers agree to.")
    is_open = serializers.BooleanField(help_text="False once it no longer takes signatures.")

    def get_count(self, petition: Petition) -> int:
        counts: dict[int, int] = self.context["counts"]
        return counts.get(petition.pk, 0)


class RecentSignerSerializer(serializers.Serializer[Any]):  # a RecentSigner, or a list of them
    first_name = serializers.CharField()
    last_initial = serializers.CharField(help_text="“S.”, or empty when the signer gave one name.")
    place = serializers.CharField(source="place_name", help_text="The name of the place they signed for.")
    confirmed = serializers.DateField(source="confirmed_on")


class SignatureAcceptedSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="The same answer whether the address is new, pending or confirmed.")


def _text(max_length: int, *, comment: bool = False, **kwargs: Any) -> serializers.CharField:
    check = rules.reject_control_characters_but_line_breaks if comment else rules.reject_control_characters
    return serializers.CharField(max_length=max_length, validators=[check, *kwargs.pop("validators", [])], **kwargs)


class SignatureInputSerializer(serializers.Serializer[Any]):
    """The field rules come from campaigns.signature_input, shared with the web form."""

    email = serializers.EmailField(max_length=MAX_ADDRESS_LENGTH, validators=[rules.reject_control_characters])
    name = _text(rules.NAME_MAX_LENGTH)
    place = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=rules.MAX_PLACE_ID,
        help_text="A place the campaign tracks (and the petition's own place, if it has one). Or send `zip`.",
    )
    zip = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5,
        validators=[rules.zip_code_validator],
        help_text="Five digits. When it covers several places, the 400 lists them: send one as `place`.",
    )
    comment = _text(rules.COMMENT_MAX_LENGTH, comment=True, required=False, allow_blank=True)
    show_name = serializers.BooleanField(default=False, help_text="Show first name and last initial publicly.")
    email_updates = serializers.BooleanField(default=False, help_text="E-mail updates about the campaign.")
    officials_see = serializers.ChoiceField(choices=OfficialsSee.choices, default=OfficialsSee.COUNT)
    street_address = _text(
        rules.STREET_ADDRESS_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Required with officials_see=name_address, and kept only then.",
    )
    referrer = _text(rules.REFERRER_MAX_LENGTH, required=False, allow_blank=True, validators=[rules.referrer_validator])
    website = serializers.CharField(
        required=False, allow_blank=True, help_text="Leave empty: a field only bots fill in."
    )
    challenge_token = serializers.CharField(
        required=False, allow_blank=True, help_text="From the signing challenge, when proof of work is on."
    )
    challenge_counter = serializers.CharField(
        required=False, allow_blank=True, help_text="The counter that solves `challenge_token`."
    )
    captcha = serializers.CharField(required=False, allow_blank=True, help_text="The captcha widget's answer, if any.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]._request  # the Django request: what the privacy helpers read
        signer = rules.SignerInput(
            email=attrs["email"],
            name=attrs["name"],
            place_id=attrs.get("place"),
            zip_code=attrs.get("zip", ""),
            comment=attrs.get("comment", ""),
            show_name=attrs["show_name"],
            email_updates=attrs["email_updates"],
            officials_see=attrs["officials_see"],
            street_address=attrs.get("street_address", ""),
            referrer=attrs.get("referrer", ""),
        )
        form = rules.signature_form(
            petition=self.context["petition"],
            signer=signer,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            ip_hash=client_ip_hash(request),
            sent=self.initial_data,
            client_ip=client_ip(request),
        )
        return {"form": form}
