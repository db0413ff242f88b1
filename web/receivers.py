"""Cached tracker pages (web.page_cache) go stale when their campaign's tracker data changes.

Connected in WebConfig.ready(). Each change replaces the campaign's generation at once and again
after the commit, so a request that read the old rows just before the commit cannot keep them
cached past that moment (a request still rendering then can, for at most its entry's lifetime).
Imports save in bulk, without per-row signals: they send campaigns.signals.tracker_imported.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    LetterCampaign,
    Official,
    OfficialPosition,
    Partnership,
    Petition,
    Place,
    PlaceStatus,
    Source,
    TimelineEvent,
)
from campaigns.signals import place_status_changed, tracker_imported
from donations.models import DonationSettings
from web import page_cache

# Models whose rows carry their campaign, and what each shows on a cached page.
WITH_CAMPAIGN: tuple[type[Model], ...] = (
    PlaceStatus,  # the status on the place page, the list and the map
    TimelineEvent,  # the timeline
    Agency,  # police agencies
    Source,  # citations' sources
    Official,  # officials in office
    OfficialPosition,  # their positions
    Petition,  # petitions, their buttons and counts
    LetterCampaign,  # letter drives' buttons
    DonationSettings,  # whether the pages offer to donate
)


def connect() -> None:
    models: tuple[type[Model], ...] = (*WITH_CAMPAIGN, Campaign, Partnership, Citation, Place)
    for model in models:
        uid = f"web.page_cache.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
    through = Agency.places.through
    m2m_changed.connect(_agency_places_changed, sender=through, dispatch_uid="web.page_cache.agency_places")
    place_status_changed.connect(_status_changed, dispatch_uid="web.page_cache.place_status_changed")
    tracker_imported.connect(_imported, dispatch_uid="web.page_cache.tracker_imported")


def _changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if isinstance(instance, Campaign):
        _invalidate([instance.slug])
    elif isinstance(instance, WITH_CAMPAIGN):
        _invalidate(_slugs(Campaign.objects.filter(pk=instance.campaign_id)))  # type: ignore[attr-defined]
    elif isinstance(instance, Partnership):
        _invalidate(_slugs(Campaign.objects.filter(agencies=instance.agency_id)))
    elif isinstance(instance, Citation):
        _invalidate(_slugs(Campaign.objects.filter(sources=instance.source_id)))
    elif isinstance(instance, Place):
        # Places are shared: every campaign tracking this one shows its name.
        _invalidate(_slugs(Campaign.objects.filter(place_statuses__place=instance.pk)))


def _agency_places_changed(instance: Model, pk_set: set[int] | None, reverse: bool, **kwargs: Any) -> None:
    if kwargs["action"] not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # place.agencies changed: the agencies named, or all of the place's campaigns on clear
        campaigns = (
            Campaign.objects.filter(agencies__in=pk_set)
            if pk_set
            else Campaign.objects.filter(place_statuses__place=instance.pk)
        )
    else:
        campaigns = Campaign.objects.filter(pk=instance.campaign_id)  # type: ignore[attr-defined]
    _invalidate(_slugs(campaigns))


def _status_changed(campaign: Campaign, **kwargs: Any) -> None:
    _invalidate([campaign.slug])


def _imported(campaign: Campaign | None, **kwargs: Any) -> None:
    # Places are shared: an import of places may rename one any campaign shows.
    _invalidate([campaign.slug] if campaign is not None else _slugs(Campaign.objects.all()))


def _slugs(campaigns: Any) -> list[str]:
    return list(campaigns.values_list("slug", flat=True).distinct())


def _invalidate(slugs: list[str]) -> None:
    for slug in slugs:
        page_cache.invalidate(slug)
        transaction.on_commit(lambda slug=slug: page_cache.invalidate(slug))  # type: ignore[misc]
