"""The “my data” page: ask for the e-mail with links to export or erase what we hold about an address."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from supporters import my_data, throttles
from supporters.identity import MAX_ADDRESS_LENGTH


class MyDataForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=MAX_ADDRESS_LENGTH)


@never_cache
def my_data_page(request: HttpRequest) -> HttpResponse:
    form = MyDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttles.allows(request):
            return TemplateResponse(request, "web/my_data.html", {"form": form, "throttled": True}, status=429)
        language = translation.get_language() or settings.LANGUAGE_CODE
        try:
            my_data.request_links(email=form.cleaned_data["email"], language=language)
        except ValidationError as error:
            form.add_error(None, error)  # a dict of field errors: lands on "email"
        else:
            # The same answer whether or not we know the address.
            return TemplateResponse(request, "web/my_data_sent.html", {})
    status = 400 if form.errors else 200
    return TemplateResponse(request, "web/my_data.html", {"form": form}, status=status)
