"""The signing form's anti-bot challenge, for browsers and API clients alike."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.challenges import proof_of_work


class SigningChallengeSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send back as `challenge_token`; empty when proof of work is off.")
    bits = serializers.IntegerField(
        help_text="Find a decimal `challenge_counter` such that SHA-256(token + counter) starts with this many "
        "zero bits; 0 when proof of work is off."
    )
    expires_in = serializers.IntegerField(help_text="Seconds the token stays valid; it signs once.")
    captcha_provider = serializers.CharField(help_text="`hcaptcha`, `turnstile`, or empty when there is no captcha.")
    captcha_site_key = serializers.CharField(help_text="The widget's site key; send its answer as `captcha`.")


class SigningChallengeView(APIView):
    """A fresh proof-of-work challenge for one signature, and the captcha the form must show, if any."""

    # No session: nothing here depends on who asks, and no CSRF is needed for a GET.
    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)

    @extend_schema(responses=SigningChallengeSerializer)
    def get(self, request: Request) -> Response:
        challenge = proof_of_work.issue_challenge() if proof_of_work.is_enabled() else None
        body = {
            "token": challenge.token if challenge else "",
            "bits": challenge.bits if challenge else 0,
            "expires_in": challenge.expires_in if challenge else 0,
            "captcha_provider": settings.CAPTCHA_PROVIDER,
            "captcha_site_key": settings.CAPTCHA_SITE_KEY,
        }
        # Each token is single-use: a cached copy would hand one token to many signers.
        return Response(SigningChallengeSerializer(body).data, headers={"Cache-Control": "no-store"})
