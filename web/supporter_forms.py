"""What the sign and write forms share, on the full pages and in partners' frames alike.

- The field definitions both forms use (name, e-mail, ZIP code, town, street address, updates,
  honeypot) and the mapping of the shared rules' errors onto fields (SupporterForm).
- The one flow a submission goes through (submit): size limit, open check, throttle, honeypot,
  validation, record, answer. The caller says how to show the form and where thanks are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from backend.api.body_limits import declared_length
from campaigns import signature_input as rules
from campaigns.models import Place
from campaigns.signature_input import Scope
from supporters.identity import MAX_ADDRESS_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

AMBIGUOUS_PLACE_MESSAGE = _("Your ZIP code covers more than one town: choose yours.")
Visit = MutableMapping[str, Any]


def name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your name"),
        max_length=rules.NAME_MAX_LENGTH,
        validators=[rules.reject_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def email_field(*, help_text: StrOrPromise) -> forms.EmailField:
    return forms.EmailField(
        label=_("Your e-mail address"),
        max_length=MAX_ADDRESS_LENGTH,
        validators=[rules.reject_control_characters],
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def zip_field(*, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=_("ZIP code"),
        max_length=5,
        validators=[rules.zip_code_validator],
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )


def place_field() -> forms.TypedChoiceField:
    # Offered only when the ZIP code covers more than one place the form is for.
    return forms.TypedChoiceField(label=_("Your town"), coerce=int, required=False, empty_value=None)


def street_address_field(*, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=_("Street address"),
        required=False,
        max_length=rules.STREET_ADDRESS_MAX_LENGTH,
        validators=[rules.reject_control_characters],
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


def email_updates_field() -> forms.BooleanField:
    return forms.BooleanField(label=_("E-mail me updates about this campaign"), required=False)


def referrer_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=rules.REFERRER_MAX_LENGTH,
        validators=[rules.reject_control_characters, rules.referrer_validator],
        widget=forms.HiddenInput,
    )


def honeypot_field() -> forms.CharField:
    # Hidden from people by the page's CSS and from assistive technology, never filled by them.
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def shared_link_referrer(request: HttpRequest) -> dict[str, str]:
    """?ref=… of a shared link (or a partner's frame) becomes the referrer, when it is a valid one."""
    referrer = request.GET.get("ref", "")
    try:
        rules.referrer_validator(referrer)
    except ValidationError:
        return {}
    return {"referrer": referrer} if referrer and len(referrer) <= rules.REFERRER_MAX_LENGTH else {}


class SupporterForm(forms.Form):
    """A form for a petition or a letter drive: the town choices its ZIP code offers, and the shared
    rules' errors by field. Subclasses build `record` (what to save) in clean()."""

    def __init__(self, *args: Any, scope: Scope, request: HttpRequest, **kwargs: Any) -> None:
        # Labels are whole sentences ("E-mail me updates…"): no colon after them.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.request = request
        zip_code = self.data.get("zip", "") if self.is_bound else ""
        self.place_choices: list[Place] = rules.places_for_zip(scope, zip_code) if zip_code else []
        place: Any = self.fields["place"]
        place.choices = [("", _("Choose your town")), *((town.pk, str(town)) for town in self.place_choices)]

    @property
    def record(self) -> Any:
        """What the flow records once the form is valid; None when there is nothing to record."""
        raise NotImplementedError

    def add_shared_errors(self, error: ValidationError) -> None:
        for field, errors in error.error_dict.items():
            if field not in self.fields:
                self.add_error(None, errors)  # the anti-bot checks: about the form as a whole
            elif field == "place" and any(e.code == rules.AMBIGUOUS_PLACE for e in errors):
                # The API lists the places with their ids; here they are the choices below the message.
                self.add_error("place", AMBIGUOUS_PLACE_MESSAGE)
            else:
                self.add_error(field, errors)


class ShowForm(Protocol):
    """Renders the page (or frame) with the form: None for a fresh one."""

    def __call__(self, form: SupporterForm | None, *, status: int = 200, throttled: bool = False) -> HttpResponse: ...


@dataclass(frozen=True)
class Action:
    """Signing or writing: what differs between them in the flow."""

    name: str  # for logs
    max_body_bytes: int
    allows: Callable[[HttpRequest], bool]  # the throttles, shared with the API
    form: Callable[..., SupporterForm]  # (data or initial=…, scope=…, request=…)
    save: Callable[[Any, Visit], object]  # records form.record with the visit's confirmation
    remember: Callable[[Visit, Any], None]  # the visit's list of what it did, on every accepted answer


def submit(
    request: HttpRequest,
    scope: Scope,
    *,
    action: Action,
    visit: Visit,
    show: ShowForm,
    thanks: Callable[[], HttpResponse],
    check: Callable[[], HttpResponse | None] | None = None,
) -> HttpResponse:
    """One POST of a sign or write form, on a full page or in a frame.

    `check` is the caller's own refusal, if any (a frame's form token), asked once the body's
    declared size is known to be sane and before anything is counted or recorded.
    """
    if declared_length(request.META) > action.max_body_bytes:
        return HttpResponse(status=413)
    if check is not None and (refused := check()) is not None:
        return refused
    if not scope.is_open:
        return show(None, status=409)
    if not action.allows(request):
        # Unbound, with what they typed: a bound form would be validated (and checked) just to show it.
        return show(action.form(initial=request.POST.dict(), scope=scope, request=request), status=429, throttled=True)
    if rules.is_honeypot_filled(request.POST):
        logger.info("honeypot filled on %s %s: answered, not recorded", action.name, scope.pk)
        action.remember(visit, scope)
        return thanks()
    form = action.form(request.POST, scope=scope, request=request)
    if not form.is_valid() or form.record is None:
        return show(form, status=400)
    action.save(form.record, visit)
    action.remember(visit, scope)
    return thanks()
