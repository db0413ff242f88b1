from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from campaigns.models import Campaign, Membership, Role
from tests.conftest import sign_in_with_two_factors


class PetitionInput(serializers.Serializer):
    email = serializers.EmailField()
    zip_code = serializers.RegexField(r"^\d{5}$")


class EchoView(APIView):
    permission_classes = (AllowAny,)

    def post(self, request):
        PetitionInput(data=request.data).is_valid(raise_exception=True)
        return Response(status=204)


class ServiceView(APIView):
    permission_classes = (AllowAny,)

    def post(self, request):
        # What a service function raises: Django's own ValidationError.
        raise DjangoValidationError({"zip_code": ["No place has this ZIP code."]})


def test_it_lists_field_errors_in_one_format():
    request = APIRequestFactory().post("/", {"email": "nope", "zip_code": "1"}, format="json")

    response = EchoView.as_view()(request)

    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert set(response.data["fields"]) == {"email", "zip_code"}
    assert response.data["fields"]["email"] == ["Enter a valid email address."]


def test_it_turns_a_service_validation_error_into_a_400():
    request = APIRequestFactory().post("/", {}, format="json")

    response = ServiceView.as_view()(request)

    assert response.status_code == 400
    assert response.data == {
        "code": "invalid",
        "detail": "Invalid input.",
        "fields": {"zip_code": ["No place has this ZIP code."]},
    }


def test_it_answers_a_malformed_body_in_the_same_format():
    request = APIRequestFactory().post("/", "{not json", content_type="application/json")

    response = EchoView.as_view()(request)

    assert response.status_code == 400
    assert response.data["code"] == "parse_error"


@pytest.mark.django_db
def test_it_answers_unknown_api_urls_with_json(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


@pytest.mark.django_db
def test_it_refuses_a_method_in_the_same_format(api_client):
    response = api_client.post("/api/v1/campaigns/", {}, format="json")

    assert response.status_code in (403, 405)
    assert set(response.json()) == {"code", "detail"}


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", ["0", "abc", "201", "-1"])
def test_it_names_a_bad_page_size(api_client, page_size):
    response = api_client.get(f"/api/v1/campaigns/?page_size={page_size}")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["page_size"]


@pytest.mark.django_db
def test_it_names_a_tampered_cursor(api_client):
    response = api_client.get("/api/v1/campaigns/?cursor=bz14")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["cursor"]


@pytest.mark.django_db
def test_it_throttles_by_client_address_whatever_x_forwarded_for_claims(api_client):
    Campaign.objects.create(slug="ring", title="Ring", is_public=True)
    # No proxy is trusted by default, so a forged header cannot buy a fresh allowance.
    statuses = [
        api_client.get("/api/v1/campaigns/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 250}").status_code
        for n in range(125)
    ]

    assert statuses[:120] == [200] * 120
    assert statuses[-1] == 429
    throttled = api_client.get("/api/v1/campaigns/")
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUT", "OPTIONS"])
def test_it_answers_an_unmapped_method_on_an_organizer_route_with_405(client, alice, method):
    ring = Campaign.objects.create(slug="ring", title="Ring")
    Membership.objects.create(user=alice, campaign=ring, role=Role.OWNER)
    sign_in_with_two_factors(client, alice)

    response = client.generic(method, "/api/v1/organizer/campaigns/ring/members/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
