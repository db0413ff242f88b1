"""A letter drive's page and form (no JavaScript needed), and officials' private position page."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from backend.api.body_limits import declared_length
from campaigns import signature_input as rules
from campaigns.challenges import proof_of_work
from campaigns.letters import input as letter_input
from campaigns.letters import positions, throttles, writing
from campaigns.letters.public import letter_count, public_letter_campaign
from campaigns.letters.writing import LetterForm
from campaigns.models import LetterCampaign, LettersSee, Official, Place, Position
from emails.links import LinkExpired, LinkInvalid
from privacy.ip_hashes import client_ip_hash
from privacy.network import client_ip
from supporters.identity import MAX_ADDRESS_LENGTH
from supporters.models import CONFIRMATION_LINK_AGE

logger = logging.getLogger(__name__)


class WriteForm(forms.Form):
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
        help_text=_("We send you a link to confirm. Your letter goes out once you confirm; replies come here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    zip = forms.CharField(
        label=_("ZIP code"),
        max_length=5,
        validators=[rules.zip_code_validator],
        help_text=_("So your letter goes to your own officials."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    place = forms.TypedChoiceField(label=_("Your town"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(
        label=_("Your letter"),
        min_length=letter_input.BODY_MIN_LENGTH,
        max_length=letter_input.BODY_MAX_LENGTH,
        validators=[rules.reject_control_characters_but_line_breaks],
        help_text=_("Plain text. Edit it as you like; words in {{ double braces }} are filled in for each official."),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    officials_see = forms.ChoiceField(
        label=_("What the officials may see"),
        choices=letter_input.LETTERS_SEE_CHOICES,
        initial=LettersSee.NAME_CITY.value,
        widget=forms.RadioSelect,
    )
    street_address = forms.CharField(
        label=_("Street address"),
        required=False,
        max_length=rules.STREET_ADDRESS_MAX_LENGTH,
        validators=[rules.reject_control_characters],
        help_text=_("Only if officials may see your full address; otherwise leave it empty."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    email_updates = forms.BooleanField(label=_("E-mail me updates about this campaign"), required=False)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, letter_campaign: LetterCampaign, request: HttpRequest, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.letter_campaign, self.request = letter_campaign, request
        self.letter: LetterForm | None = None
        zip_code = self.data.get("zip", "") if self.is_bound else ""
        self.place_choices: list[Place] = rules.places_for_zip(letter_campaign, zip_code) if zip_code else []
        place_field: Any = self.fields["place"]
        place_field.choices = [("", _("Choose your town")), *((place.pk, str(place)) for place in self.place_choices)]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        writer = letter_input.WriterInput(
            email=cleaned["email"],
            name=cleaned["name"],
            body=cleaned["text"],
            place_id=cleaned.get("place"),
            zip_code=cleaned["zip"],
            officials_see=cleaned["officials_see"],
            street_address=cleaned["street_address"],
            email_updates=cleaned["email_updates"],
        )
        try:
            self.letter = letter_input.letter_form(
                letter_campaign=self.letter_campaign,
                writer=writer,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                ip_hash=client_ip_hash(self.request),
                sent=self.data,
                client_ip=client_ip(self.request),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.fields:
                    self.add_error(None, errors)
                elif field == "place" and any(e.code == rules.AMBIGUOUS_PLACE for e in errors):
                    self.add_error("place", _("Your ZIP code covers more than one town: choose yours."))
                else:
                    self.add_error(field, errors)
        return cleaned


@never_cache
@require_http_methods(["GET", "POST"])
def letter_page(request: HttpRequest, slug: str, letter_slug: str) -> HttpResponse:
    letter_campaign = public_letter_campaign(campaign_slug=slug, letter_slug=letter_slug)
    if request.method == "POST":
        return _write(request, letter_campaign)
    initial = {"text": letter_campaign.body_template}
    return _page(request, letter_campaign, WriteForm(initial=initial, letter_campaign=letter_campaign, request=request))


@never_cache
@require_GET
def written_page(request: HttpRequest, slug: str, letter_slug: str) -> HttpResponse:
    letter_campaign = public_letter_campaign(campaign_slug=slug, letter_slug=letter_slug)
    context = {"letter_campaign": letter_campaign, "days": CONFIRMATION_LINK_AGE.days}
    return TemplateResponse(request, "web/letters/written.html", context)


def _write(request: HttpRequest, letter_campaign: LetterCampaign) -> HttpResponse:
    if declared_length(request.META) > letter_input.MAX_BODY_BYTES:
        return HttpResponse(status=413)
    if not letter_campaign.is_open:
        return _page(request, letter_campaign, None, status=409)
    if not throttles.allows(request):
        form = WriteForm(initial=request.POST.dict(), letter_campaign=letter_campaign, request=request)
        return _page(request, letter_campaign, form, status=429, throttled=True)
    if rules.is_honeypot_filled(request.POST):
        logger.info("honeypot filled on letter drive %s: answered, not recorded", letter_campaign.pk)
        return _written(request, letter_campaign)
    form = WriteForm(request.POST, letter_campaign=letter_campaign, request=request)
    if not form.is_valid() or form.letter is None:
        return _page(request, letter_campaign, form, status=400)
    writing.write_letter(form.letter, visit=request.session)
    return _written(request, letter_campaign)


def _written(request: HttpRequest, letter_campaign: LetterCampaign) -> HttpResponse:
    letter_input.remember_in_visit(request.session, letter_campaign)
    kwargs = {"slug": letter_campaign.campaign.slug, "letter_slug": letter_campaign.slug}
    return HttpResponseRedirect(reverse("web:letter-written", kwargs=kwargs))


def _page(
    request: HttpRequest,
    letter_campaign: LetterCampaign,
    form: WriteForm | None,
    *,
    status: int = 200,
    throttled: bool = False,
) -> HttpResponse:
    context = {
        "letter_campaign": letter_campaign,
        "count": letter_count(letter_campaign),
        "form": form if form is not None else WriteForm(letter_campaign=letter_campaign, request=request),
        "throttled": throttled,
        "public_record_notice": letter_input.PUBLIC_RECORD_NOTICE,
        "proof_of_work": proof_of_work.is_enabled(),
    }
    return TemplateResponse(request, "web/letters/letter.html", context, status=status)


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Your position on ending the police partnership with Ring"),
        choices=[
            (Position.SUPPORTS_ENDING.value, _("I support ending the partnership")),
            (Position.OPPOSES.value, _("I oppose ending the partnership")),
            (Position.UNDECIDED.value, _("I am undecided")),
        ],
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("A short statement (optional, shown publicly)"),
        required=False,
        max_length=positions.STATEMENT_MAX_LENGTH,
        validators=[rules.reject_control_characters_but_line_breaks],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    digest_only = forms.BooleanField(
        label=_("Send me constituents' letters as one daily digest instead of one by one"), required=False
    )


@never_cache
@require_http_methods(["GET", "POST"])
def position_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        official = positions.read_position_link(token)
    except LinkExpired:
        return TemplateResponse(request, "web/link_unusable.html", {"reason": "expired"}, status=410)
    except (LinkInvalid, positions.PositionLinkGone):
        return TemplateResponse(request, "web/link_unusable.html", {"reason": "invalid"}, status=400)
    current = positions.current_position(official)
    if request.method == "POST":
        form = PositionForm(request.POST, label_suffix="")
        if form.is_valid():
            positions.record_position(
                official=official,
                position=Position(form.cleaned_data["position"]),
                statement=form.cleaned_data["statement"],
                digest_only=form.cleaned_data["digest_only"],
            )
            return TemplateResponse(request, "web/letters/position_recorded.html", {"official": official})
        return _position_page(request, official, form, status=400)
    initial: dict[str, Any] = {"digest_only": official.letters_digest_only}
    if current is not None:
        initial |= {"position": current.position, "statement": current.statement}
    return _position_page(request, official, PositionForm(initial=initial, label_suffix=""))


def _position_page(request: HttpRequest, official: Official, form: PositionForm, *, status: int = 200) -> HttpResponse:
    context = {"official": official, "form": form, "current": positions.current_position(official)}
    return TemplateResponse(request, "web/letters/position.html", context, status=status)
