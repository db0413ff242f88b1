from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from donations.webhooks import stripe_webhook
from web import donate, supporter_links
from web.api_docs import RedocView, SwaggerView
from web.unsubscribe import unsubscribe_page

# The admin signs in through allauth, so its login also asks for the second factor.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

api_v1 = [
    path("", include("campaigns.api.urls")),
    path("organizer/", include("campaigns.api.organizer.urls")),
    path("organizer/", include("mailings.api.urls")),
    path("organizer/", include("briefings.api.urls")),
    path("", include("supporters.api.urls")),
    path("", include("donations.api.urls")),
    path("organizer/", include("donations.api.organizer_urls")),
]

urlpatterns = [
    path("", include("health.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/docs/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path(
        "api/docs/accounts/",
        RedocView.as_view(url_name="headless:openapi_json", title="Townhall accounts API (allauth headless)"),
        name="accounts-api-docs",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    # Named at the root: the e-mail pipeline builds these links without knowing the web layer.
    path("email/unsubscribe/<str:token>/", unsubscribe_page, name="unsubscribe"),
    path("confirm/<str:token>/", supporter_links.confirm_page, name="supporter-confirm"),
    path("my-data/export/<str:token>/", supporter_links.export_download, name="my-data-export"),
    path("my-data/erase/<str:token>/", supporter_links.erase_page, name="my-data-erase"),
    # The provider's delivery webhooks; anymail checks the basic auth (and signature) of each post.
    path("email/anymail/", include("emails.webhook_urls")),
    # Stripe's webhook (signature-checked, CSRF-exempt) and the pages Stripe and receipts link to.
    path("donations/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("campaigns/<slug:slug>/donate/thanks/", donate.thanks_page, name="donation-thanks"),
    path("campaigns/<slug:slug>/donate/cancelled/", donate.cancelled_page, name="donation-cancelled"),
    path("donations/manage/<str:token>/", donate.manage_page, name="donation-manage"),
    # A briefing's verification page and the officials' signed PDF links, short enough to type from paper.
    path("", include("briefings.urls")),
    path("", include("web.urls")),
]

handler404 = "backend.api.errors.not_found"
handler500 = "backend.api.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
