"""The page an invitation link opens: create an account or sign in, then accept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.models import User
from campaigns import invitations
from campaigns.models import Invitation

STATUS_FOR_REASON = {"unknown": 404, "accepted": 410, "revoked": 410, "expired": 410}


class NewOrganizerForm(forms.Form):
    password1 = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("The same password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password1(self) -> str:
        # The validators' messages belong next to the field they are about, not only in the page's alert.
        password: str = self.cleaned_data["password1"]
        validate_password(password, User(email=self.email))
        return password

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        # Compared only when both are given: a missing one has its own "required" error.
        if data.get("password1") and data.get("password2") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation(request: HttpRequest, secret: str) -> HttpResponse:
    try:
        found = invitations.usable_invitation(secret)
    except invitations.InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    form = NewOrganizerForm(request.POST or None, email=found.email)
    # Kept apart from the form: a signed-in organizer's POST has no form data, and an unbound
    # form cannot take errors (form.add_error would fail with a server error).
    problems: list[str] = []
    if request.method == "POST":
        try:
            return _accept(request, secret, found, form)
        except invitations.InvitationUnusable as unusable:
            return _unusable(request, unusable.reason)
        except ValidationError as error:
            problems = error.messages
    has_account = User.objects.filter(email__iexact=found.email).exists()
    context = {"invitation": found, "form": form, "has_account": has_account, "problems": problems}
    status = 400 if problems or form.errors else 200
    return TemplateResponse(request, "web/invitation.html", context, status=status)


def _accept(request: HttpRequest, secret: str, found: Invitation, form: NewOrganizerForm) -> HttpResponse:
    if isinstance(request.user, User):
        invitations.accept_invitation(secret=secret, user=request.user)
        return redirect(settings.TWO_FACTOR_SETUP_URL)
    if not form.is_valid():
        raise ValidationError(_("Check the passwords below."))
    user = invitations.create_account_and_accept(secret=secret, password=form.cleaned_data["password1"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # Signed in with a password only: the next stop is enrolling a second factor.
    return redirect(settings.TWO_FACTOR_SETUP_URL)


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    return TemplateResponse(
        request, "web/invitation_unusable.html", {"reason": reason}, status=STATUS_FOR_REASON[reason]
    )
