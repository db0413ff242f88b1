"""Supporter data rights through the API: one APIView per action, one service call each."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.throttles import AnonRateThrottle
from supporters import my_data
from supporters.api.serializers import MyDataAcceptedSerializer, MyDataRequestSerializer
from supporters.throttles import MyDataThrottle


def accepted_message() -> str:
    return _("If we hold anything about this address, a link to export or erase it is on its way.")


class MyDataRequestView(APIView):
    """Asks for the e-mail with links to export or erase everything held about an address.

    Answers 202 whether or not the address is known, so it cannot be used to find out who
    supports a campaign.
    """

    # No session, no CSRF: anyone may ask, and the links go only to the mailbox itself.
    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_classes = (AnonRateThrottle, MyDataThrottle)

    @extend_schema(request=MyDataRequestSerializer, responses={202: MyDataAcceptedSerializer})
    def post(self, request: Request) -> Response:
        serializer = MyDataRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        my_data.request_links(
            email=serializer.validated_data["email"], language=translation.get_language() or settings.LANGUAGE_CODE
        )
        return Response({"detail": accepted_message()}, status=status.HTTP_202_ACCEPTED)
