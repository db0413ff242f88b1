"""The organizers' widget page: the partner origins allowed to frame the campaign, and the snippets
to paste. Viewers see it; owners add and remove origins (each change audited, as through the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit
from accounts.models import AuditEvent
from campaigns.access import CampaignAccess
from campaigns.models import EmbedOrigin, Role
from campaigns.models.embeds import canonical_origin
from campaigns.models.memberships import role_includes
from campaigns.signature_input import REFERRER_MAX_LENGTH, referrer_validator
from web.embeds import snippets
from web.organizer_pages import campaign_page_access, organizers_only

VIA = "web"


class OriginForm(forms.Form):
    origin = forms.CharField(
        label=_("Partner site's origin"),
        max_length=200,
        help_text=_("Scheme and host of the page that shows the frame, e.g. https://partner.example.org."),
    )
    referrer = forms.CharField(
        label=_("Referrer code (optional)"),
        required=False,
        max_length=REFERRER_MAX_LENGTH,
        validators=[referrer_validator],
        help_text=_("Put in this partner's snippets (?ref=): each signature and letter from their frames records it."),
    )
    note = forms.CharField(label=_("Note for organizers (optional)"), required=False, max_length=200)

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.campaign_id = campaign_id

    def clean_origin(self) -> str:
        origin = canonical_origin(self.cleaned_data["origin"])
        if EmbedOrigin.objects.filter(campaign_id=self.campaign_id, origin=origin).exists():
            raise forms.ValidationError(_("This origin is already on the list."), code="duplicate")
        return origin


@never_cache
@organizers_only
@require_http_methods(["GET", "POST"])
def embed_settings(request: HttpRequest, slug: str) -> HttpResponse:
    adding = request.method == "POST"
    access = campaign_page_access(request, slug, needed=Role.OWNER if adding else Role.VIEWER)
    if adding:
        form = OriginForm(request.POST, campaign_id=access.campaign.pk)
        if form.is_valid():
            try:
                _add_origin(access, form)
            except IntegrityError:  # another owner added it at the same moment
                form.add_error("origin", _("This origin is already on the list."))
                return _page(request, access, form, status=400)
            return HttpResponseRedirect(reverse("web:embed-settings", kwargs={"slug": slug}))
        return _page(request, access, form, status=400)
    return _page(request, access, OriginForm(campaign_id=access.campaign.pk))


@organizers_only
@require_POST
def remove_origin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = campaign_page_access(request, slug, needed=Role.OWNER)
    with transaction.atomic():
        origin = get_object_or_404(EmbedOrigin.objects.select_for_update(), campaign=access.campaign, pk=pk)
        _record(access, AuditEvent.Action.DELETE, origin, before=audit.snapshot(origin))
        origin.delete()
    return HttpResponseRedirect(reverse("web:embed-settings", kwargs={"slug": slug}))


def _add_origin(access: CampaignAccess, form: OriginForm) -> None:
    with transaction.atomic():
        origin = EmbedOrigin.objects.create(campaign=access.campaign, **form.cleaned_data)
        _record(access, AuditEvent.Action.CREATE, origin, after=audit.snapshot(origin))


def _record(access: CampaignAccess, action: str, origin: EmbedOrigin, **snapshots: dict[str, Any]) -> None:
    audit.record_write(
        actor=access.user, via=VIA, action=action, instance=origin, campaign_id=access.campaign.pk, **snapshots
    )


def _page(request: HttpRequest, access: CampaignAccess, form: OriginForm, *, status: int = 200) -> HttpResponse:
    origins = list(EmbedOrigin.objects.filter(campaign=access.campaign))
    chosen = _chosen(request, origins)
    context = {
        "campaign": access.campaign,
        "origins": origins,
        "chosen": chosen,
        "can_change": role_includes(access.role, Role.OWNER),
        "form": form,
        "snippets": snippets.snippets_for(request, access.campaign, referrer=chosen.referrer if chosen else ""),
        "host_script": snippets.host_script(request),
    }
    return TemplateResponse(request, "web/embeds/settings.html", context, status=status)


def _chosen(request: HttpRequest, origins: list[EmbedOrigin]) -> EmbedOrigin | None:
    """The partner whose referrer code the snippets carry: ?origin=<id>, or the only one there is.
    With several and none chosen, no code: a snippet must never credit one partner's signatures to another."""
    wanted = request.GET.get("origin", "")
    only = origins[0] if len(origins) == 1 else None
    return next((origin for origin in origins if str(origin.pk) == wanted), only)
