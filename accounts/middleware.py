from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from accounts.two_factor import two_factors_done

TWO_FACTOR_REQUIRED = {
    "code": "two_factor_required",
    "detail": "Set up and use a second factor (authenticator app or security key) to use the organizer API.",
}


class RequireTwoFactorMiddleware:
    """No organizer page or endpoint answers a session that has not passed two factors.

    Token-authenticated API calls carry no session user; DRF checks them in the view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._guarded(request.path) and request.user.is_authenticated and not two_factors_done(request):
            if request.path.startswith("/api/"):
                return JsonResponse(TWO_FACTOR_REQUIRED, status=403)
            return redirect(settings.TWO_FACTOR_SETUP_URL)
        return self.get_response(request)

    @staticmethod
    def _guarded(path: str) -> bool:
        return any(path.startswith(prefix) for prefix in settings.TWO_FACTOR_REQUIRED_PATHS)
