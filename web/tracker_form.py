"""The tracker's search box and filters: one field for a city or a ZIP code, a state, a status."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.api.public.filters import SEARCH_MAX_LENGTH
from campaigns.api.public.queries import PlaceFilters
from campaigns.models import Status

_ZIP = re.compile(r"[0-9]{5}")
_DIGITS = re.compile(r"[0-9 -]+")


class TrackerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("City, town or ZIP code"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("For example Bloomfield, or 07003."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices])

    def __init__(self, *args: Any, states: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        state_field: Any = self.fields["state"]
        state_field.choices = [("", _("Every state")), *((state, state) for state in states)]

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"].strip()
        # Digits only is a ZIP code attempt: a wrong one gets said, not searched as a name.
        if _DIGITS.fullmatch(text) and not _ZIP.fullmatch(text):
            raise ValidationError(_("Give a five-digit ZIP code, such as 07003, or the name of a city or town."))
        return text

    def filters(self) -> PlaceFilters:
        data = self.cleaned_data
        q = data["q"]
        is_zip = bool(_ZIP.fullmatch(q))
        return PlaceFilters(
            state=data["state"], status=data["status"], q="" if is_zip else q, zip_code=q if is_zip else ""
        )

    @property
    def is_search(self) -> bool:
        return self.is_bound and self.is_valid() and bool(self.cleaned_data["q"])
