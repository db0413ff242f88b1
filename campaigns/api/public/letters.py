"""Letter drives, read by anyone, and writing a letter: one APIView per action, one service call each."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from backend.api.body_limits import LimitedJSONParser, refuse_large_body
from backend.api.schema import ERROR
from backend.api.throttles import OneRoundTrip
from campaigns import signature_input as rules
from campaigns.api.public.caching import RevalidatedView
from campaigns.api.public.views import PublicCampaignView
from campaigns.letters import input as letter_input
from campaigns.letters import placeholders, writing
from campaigns.letters.public import letter_campaigns_of, letter_count
from campaigns.letters.throttles import LETTER_THROTTLES
from campaigns.models import LetterCampaign, LettersSee, Place
from privacy.ip_hashes import client_ip_hash
from privacy.network import client_ip
from supporters.identity import MAX_ADDRESS_LENGTH

logger = logging.getLogger(__name__)


class LettersClosed(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = letter_input.CLOSED_MESSAGE
    default_code = "letters_closed"


class LetterParser(LimitedJSONParser):
    max_bytes = letter_input.MAX_BODY_BYTES


class LetterPlaceSerializer(serializers.Serializer[Place]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    state = serializers.CharField()


class PublicLetterDriveSerializer(serializers.Serializer[LetterCampaign]):
    slug = serializers.SlugField()
    title = serializers.CharField()
    subject = serializers.CharField(source="subject_template")
    text = serializers.CharField(
        source="body_template", help_text="The letter to start from; its placeholders are filled per official."
    )
    placeholders = serializers.SerializerMethodField()
    place = LetterPlaceSerializer(allow_null=True, help_text="The one place it is for; null: every tracked place.")
    count = serializers.SerializerMethodField(help_text="Confirmed letters that count, as published.")
    is_open = serializers.BooleanField()
    public_record_notice = serializers.SerializerMethodField()

    def get_placeholders(self, letter_campaign: LetterCampaign) -> list[str]:
        return [f"{{{{ {name} }}}}" for name in placeholders.PLACEHOLDERS]

    def get_count(self, letter_campaign: LetterCampaign) -> int:
        return letter_count(letter_campaign)

    def get_public_record_notice(self, letter_campaign: LetterCampaign) -> str:
        return str(letter_input.PUBLIC_RECORD_NOTICE)


class LetterAcceptedSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="The same answer whether the address is new, pending or confirmed.")


def _text(max_length: int, *, lines: bool = False, **kwargs: Any) -> serializers.CharField:
    check = rules.reject_control_characters_but_line_breaks if lines else rules.reject_control_characters
    return serializers.CharField(max_length=max_length, validators=[check], **kwargs)


class LetterInputSerializer(serializers.Serializer[Any]):
    """The field rules are those of signatures (campaigns.signature_input) and campaigns.letters.input."""

    email = serializers.EmailField(max_length=MAX_ADDRESS_LENGTH, validators=[rules.reject_control_characters])
    name = _text(rules.NAME_MAX_LENGTH)
    place = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=rules.MAX_PLACE_ID)
    zip = serializers.CharField(required=False, allow_blank=True, max_length=5, validators=[rules.zip_code_validator])
    text = _text(
        letter_input.BODY_MAX_LENGTH,
        lines=True,
        min_length=letter_input.BODY_MIN_LENGTH,
        help_text="Plain text; markup is shown as typed, never rendered.",
    )
    officials_see = serializers.ChoiceField(choices=LettersSee.choices, default=LettersSee.NAME_CITY)
    street_address = _text(rules.STREET_ADDRESS_MAX_LENGTH, required=False, allow_blank=True)
    email_updates = serializers.BooleanField(default=False)
    referrer = serializers.CharField(
        max_length=rules.REFERRER_MAX_LENGTH,
        required=False,
        allow_blank=True,
        validators=[rules.reject_control_characters, rules.referrer_validator],
        help_text="Optional: the code of the link or partner site the writer came from.",
    )
    website = serializers.CharField(required=False, allow_blank=True, help_text="Leave empty: only bots fill it in.")
    challenge_token = serializers.CharField(required=False, allow_blank=True)
    challenge_counter = serializers.CharField(required=False, allow_blank=True)
    captcha = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]._request
        writer = letter_input.WriterInput(
            email=attrs["email"],
            name=attrs["name"],
            body=attrs["text"],
            place_id=attrs.get("place"),
            zip_code=attrs.get("zip", ""),
            officials_see=attrs["officials_see"],
            street_address=attrs.get("street_address", ""),
            email_updates=attrs["email_updates"],
            referrer=attrs.get("referrer", ""),
        )
        form = letter_input.letter_form(
            letter_campaign=self.context["letter_campaign"],
            writer=writer,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            ip_hash=client_ip_hash(request),
            sent=self.initial_data,
            client_ip=client_ip(request),
        )
        return {"form": form}


class LetterCampaignView(PublicCampaignView):
    letter_campaign: LetterCampaign

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.letter_campaign = get_object_or_404(letter_campaigns_of(self.campaign), slug=kwargs["letter_slug"])


class LetterCampaignDetail(RevalidatedView, LetterCampaignView):
    """A letter drive: the letter to start from, its placeholders, the place it is for, its count."""

    @extend_schema(responses=PublicLetterDriveSerializer)
    def get(self, request: Request, slug: str, letter_slug: str) -> Response:
        return Response(PublicLetterDriveSerializer(self.letter_campaign).data)


class LetterCreate(OneRoundTrip, LetterCampaignView):
    """Writes a letter; it goes to the officials of the writer's place once the e-mailed link is confirmed.

    Answers 202 with the same body for a new address, a pending one and a confirmed one. Letters
    to officials may become public records. Limited per client address and per e-mail address (429).
    """

    authentication_classes = ()
    throttle_classes = LETTER_THROTTLES
    parser_classes = (LetterParser,)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        refuse_large_body(request.META, max_bytes=letter_input.MAX_BODY_BYTES)
        super().initial(request, *args, **kwargs)
        if not self.letter_campaign.is_open:
            raise LettersClosed()

    @extend_schema(
        request=LetterInputSerializer,
        responses={
            202: LetterAcceptedSerializer,
            409: OpenApiResponse(ERROR, description="The letter drive is closed."),
            413: OpenApiResponse(ERROR, description="The body is over 32 KB."),
        },
    )
    def post(self, request: Request, slug: str, letter_slug: str) -> Response:
        if rules.is_honeypot_filled(request.data):
            logger.info("honeypot filled on letter drive %s: answered, not recorded", self.letter_campaign.pk)
            return self._accepted(request)
        serializer = LetterInputSerializer(
            data=request.data, context={"request": request, "letter_campaign": self.letter_campaign}
        )
        serializer.is_valid(raise_exception=True)
        writing.write_letter(serializer.validated_data["form"], visit=request.session)
        return self._accepted(request)

    def _accepted(self, request: Request) -> Response:
        letter_input.remember_in_visit(request.session, self.letter_campaign)
        return Response({"detail": letter_input.ACCEPTED_MESSAGE}, status=status.HTTP_202_ACCEPTED)
