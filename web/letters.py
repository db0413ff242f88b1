"""A letter drive's page and form (no JavaScript needed), and officials' private position page."""

from __future__ import annotations

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

from campaigns import signature_input as rules
from campaigns.challenges import proof_of_work
from campaigns.letters import input as letter_input
from campaigns.letters import positions, throttles, writing
from campaigns.letters.public import letter_count, public_letter_campaign
from campaigns.letters.writing import LetterForm
from campaigns.models import LetterCampaign, LettersSee, Official, Position
from emails.links import LinkExpired, LinkInvalid
from privacy.ip_hashes import client_ip_hash
from privacy.network import client_ip
from supporters.models import CONFIRMATION_LINK_AGE
from web import supporter_forms as shared


class WriteForm(shared.SupporterForm):
    name = shared.name_field()
    email = shared.email_field(
        help_text=_("We send you a link to confirm. Your letter goes out once you confirm; replies come here.")
    )
    zip = shared.zip_field(help_text=_("So your letter goes to your own officials."))
    place = shared.place_field()
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
    street_address = shared.street_address_field(
        help_text=_("Only if officials may see your full address; otherwise leave it empty.")
    )
    email_updates = shared.email_updates_field()
    # A shared link's or a partner's frame's ?ref= (web.embeds), as on the sign form.
    referrer = shared.referrer_field()
    website = shared.honeypot_field()

    def __init__(self, *args: Any, scope: LetterCampaign, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, scope=scope, request=request, **kwargs)
        self.letter_campaign = scope
        self.letter: LetterForm | None = None

    @property
    def record(self) -> LetterForm | None:
        return self.letter

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
            referrer=cleaned["referrer"],
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
            self.add_shared_errors(error)
        return cleaned


def _save(letter: LetterForm, visit: shared.Visit) -> object:
    return writing.write_letter(letter, visit=visit)


WRITING = shared.Action(
    name="letter drive",
    max_body_bytes=letter_input.MAX_BODY_BYTES,
    allows=throttles.allows,
    form=WriteForm,
    save=_save,
    remember=letter_input.remember_in_visit,
)


@never_cache
@require_http_methods(["GET", "POST"])
def letter_page(request: HttpRequest, slug: str, letter_slug: str) -> HttpResponse:
    letter_campaign = public_letter_campaign(campaign_slug=slug, letter_slug=letter_slug)

    def show(form: shared.SupporterForm | None, *, status: int = 200, throttled: bool = False) -> HttpResponse:
        return _page(request, letter_campaign, form, status=status, throttled=throttled)

    if request.method == "POST":
        thanks = reverse("web:letter-written", kwargs={"slug": slug, "letter_slug": letter_campaign.slug})
        return shared.submit(
            request,
            letter_campaign,
            action=WRITING,
            visit=request.session,
            show=show,
            thanks=lambda: HttpResponseRedirect(thanks),
        )
    initial = first_draft(letter_campaign) | shared.shared_link_referrer(request)
    return show(WriteForm(initial=initial, scope=letter_campaign, request=request))


@never_cache
@require_GET
def written_page(request: HttpRequest, slug: str, letter_slug: str) -> HttpResponse:
    letter_campaign = public_letter_campaign(campaign_slug=slug, letter_slug=letter_slug)
    context = {"letter_campaign": letter_campaign, "days": CONFIRMATION_LINK_AGE.days}
    return TemplateResponse(request, "web/letters/written.html", context)


def first_draft(letter_campaign: LetterCampaign) -> dict[str, str]:
    """The form's starting values: the drive's letter, for the writer to make their own."""
    return {"text": letter_campaign.body_template}


def letter_context(letter_campaign: LetterCampaign) -> dict[str, object]:
    """What the drive's page and its frame show around the form."""
    return {
        "letter_campaign": letter_campaign,
        "count": letter_count(letter_campaign),
        "public_record_notice": letter_input.PUBLIC_RECORD_NOTICE,
        "proof_of_work": proof_of_work.is_enabled(),
    }


def _page(
    request: HttpRequest,
    letter_campaign: LetterCampaign,
    form: shared.SupporterForm | None,
    *,
    status: int = 200,
    throttled: bool = False,
) -> HttpResponse:
    context = {
        **letter_context(letter_campaign),
        "form": form if form is not None else WriteForm(scope=letter_campaign, request=request),
        "throttled": throttled,
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
