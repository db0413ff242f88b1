from __future__ import annotations

from typing import Any

from django.urls import path

from campaigns.api.organizer import (
    embeds,
    imports,
    letters,
    moderation,
    petitions,
    signature_exports,
    tracker_views,
    views,
)

app_name = "organizer-api"
CAMPAIGN = "campaigns/<slug:campaign_slug>/"

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("campaigns/", views.CampaignViewSet.as_view({"get": "list", "post": "create"}), name="campaign-list"),
    path(
        CAMPAIGN,
        views.CampaignDetailViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="campaign-detail",
    ),
    path(f"{CAMPAIGN}members/", views.MemberViewSet.as_view({"get": "list"}), name="member-list"),
    path(
        f"{CAMPAIGN}members/<int:pk>/",
        views.MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="member-detail",
    ),
    path(
        f"{CAMPAIGN}invitations/",
        views.InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitation-list",
    ),
    path(
        f"{CAMPAIGN}invitations/<int:pk>/",
        views.InvitationViewSet.as_view({"delete": "destroy"}),
        name="invitation-detail",
    ),
    path(f"{CAMPAIGN}tokens/", views.ApiTokenViewSet.as_view({"get": "list", "post": "create"}), name="token-list"),
    path(f"{CAMPAIGN}tokens/<int:pk>/", views.ApiTokenViewSet.as_view({"delete": "destroy"}), name="token-detail"),
    path(f"{CAMPAIGN}audit-events/", views.AuditEventViewSet.as_view({"get": "list"}), name="audit-event-list"),
]


# The tracker (campaigns.api.organizer.tracker_views): viewers read, editors write.
def _rows(viewset: Any) -> Any:
    return viewset.as_view({"get": "list", "post": "create"})


def _row(viewset: Any) -> Any:
    return viewset.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})


urlpatterns += [
    path(f"{CAMPAIGN}sources/", _rows(tracker_views.SourceViewSet), name="source-list"),
    path(f"{CAMPAIGN}sources/<int:pk>/", _row(tracker_views.SourceViewSet), name="source-detail"),
    path(f"{CAMPAIGN}agencies/", _rows(tracker_views.AgencyViewSet), name="agency-list"),
    path(f"{CAMPAIGN}agencies/<int:pk>/", _row(tracker_views.AgencyViewSet), name="agency-detail"),
    path(f"{CAMPAIGN}partnerships/", _rows(tracker_views.PartnershipViewSet), name="partnership-list"),
    path(f"{CAMPAIGN}partnerships/<int:pk>/", _row(tracker_views.PartnershipViewSet), name="partnership-detail"),
    path(
        f"{CAMPAIGN}partnerships/<int:partnership_pk>/citations/",
        tracker_views.PartnershipCitationViewSet.as_view({"post": "create"}),
        name="partnership-citation-list",
    ),
    path(
        f"{CAMPAIGN}partnerships/<int:partnership_pk>/citations/<int:pk>/",
        tracker_views.PartnershipCitationViewSet.as_view({"delete": "destroy"}),
        name="partnership-citation-detail",
    ),
    path(f"{CAMPAIGN}officials/", _rows(tracker_views.OfficialViewSet), name="official-list"),
    path(f"{CAMPAIGN}officials/<int:pk>/", _row(tracker_views.OfficialViewSet), name="official-detail"),
    path(f"{CAMPAIGN}places/", _rows(tracker_views.TrackedPlaceViewSet), name="tracked-place-list"),
    path(
        f"{CAMPAIGN}places/<int:place_id>/status/",
        tracker_views.PlaceStatusViewSet.as_view({"post": "change_status"}),
        name="place-status",
    ),
    path(
        f"{CAMPAIGN}places/<int:place_id>/timeline/",
        tracker_views.PlaceTimelineViewSet.as_view({"get": "list"}),
        name="place-timeline",
    ),
    path("imports/places/", imports.PlaceImportView.as_view(), name="place-import"),
    path(f"{CAMPAIGN}imports/<str:kind>/", imports.CampaignImportView.as_view(), name="campaign-import"),
]

# Petitions (campaigns.api.organizer.petitions): viewers read, editors create, change, close and reopen.
_petitions = petitions.PetitionViewSet
urlpatterns += [
    path(f"{CAMPAIGN}petitions/", _petitions.as_view({"get": "list", "post": "create"}), name="petition-list"),
    path(
        f"{CAMPAIGN}petitions/<int:pk>/",
        _petitions.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="petition-detail",
    ),
    path(f"{CAMPAIGN}petitions/<int:pk>/close/", _petitions.as_view({"post": "close"}), name="petition-close"),
    path(f"{CAMPAIGN}petitions/<int:pk>/reopen/", _petitions.as_view({"post": "reopen"}), name="petition-reopen"),
]

# The moderation queue (campaigns.api.organizer.moderation): editors and owners.
urlpatterns += [
    path(
        f"{CAMPAIGN}signatures/held/",
        moderation.SignatureReviewViewSet.as_view({"get": "list"}),
        name="held-signature-list",
    ),
    path(
        f"{CAMPAIGN}signatures/<int:pk>/approve/",
        moderation.SignatureReviewViewSet.as_view({"post": "approve"}),
        name="signature-approve",
    ),
    path(
        f"{CAMPAIGN}signatures/<int:pk>/reject/",
        moderation.SignatureReviewViewSet.as_view({"post": "reject"}),
        name="signature-reject",
    ),
]

# Signature exports (campaigns.api.organizer.signature_exports): owners only.
_exports = signature_exports.SignatureExportViewSet
urlpatterns += [
    path(
        f"{CAMPAIGN}signature-exports/",
        _exports.as_view({"get": "list", "post": "create"}),
        name="signature-export-list",
    ),
    path(
        f"{CAMPAIGN}signature-exports/<int:pk>/", _exports.as_view({"get": "retrieve"}), name="signature-export-detail"
    ),
    path(
        f"{CAMPAIGN}signature-exports/<int:pk>/download/",
        _exports.as_view({"get": "download"}),
        name="signature-export-download",
    ),
]

# Letters (campaigns.api.organizer.letters): drives, moderation, figures, owners' CSV export.
urlpatterns += [
    path(f"{CAMPAIGN}letter-drives/", _rows(letters.LetterCampaignViewSet), name="letter-campaign-list"),
    path(
        f"{CAMPAIGN}letter-drives/<int:pk>/",
        letters.LetterCampaignViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="letter-campaign-detail",
    ),
    path(f"{CAMPAIGN}letters/held/", letters.LetterReviewViewSet.as_view({"get": "list"}), name="held-letter-list"),
    path(
        f"{CAMPAIGN}letters/<int:pk>/approve/",
        letters.LetterReviewViewSet.as_view({"post": "approve"}),
        name="letter-approve",
    ),
    path(
        f"{CAMPAIGN}letters/<int:pk>/reject/",
        letters.LetterReviewViewSet.as_view({"post": "reject"}),
        name="letter-reject",
    ),
    path(
        f"{CAMPAIGN}letters/figures/officials/",
        letters.LetterFiguresViewSet.as_view({"get": "officials"}),
        name="letter-figures-officials",
    ),
    path(
        f"{CAMPAIGN}letters/figures/places/",
        letters.LetterFiguresViewSet.as_view({"get": "places"}),
        name="letter-figures-places",
    ),
    path(
        f"{CAMPAIGN}letters/export.csv", letters.LetterExportViewSet.as_view({"get": "download"}), name="letter-export"
    ),
]

# Partner origins for the widget (campaigns.api.organizer.embeds): viewers read, owners write.
urlpatterns += [
    path(
        f"{CAMPAIGN}embed-origins/",
        embeds.EmbedOriginViewSet.as_view({"get": "list", "post": "create"}),
        name="embed-origin-list",
    ),
    path(
        f"{CAMPAIGN}embed-origins/<int:pk>/",
        embeds.EmbedOriginViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="embed-origin-detail",
    ),
]
