"""The production path: editions stored in S3 through django-storages, against moto's server on 127.0.0.1."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from boto3 import client as boto3_client
from moto.server import ThreadedMotoServer

from briefings.editions import read_pdf
from briefings.storage import briefing_storage
from tests.briefings.conftest import generated

BUCKET = "townhall-briefings"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3_client("s3", endpoint_url=endpoint, **CREDENTIALS).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_briefings(settings: Any, s3_endpoint: str) -> str:
    settings.STORAGES = {
        **settings.STORAGES,
        "briefings": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    return s3_endpoint


def test_editions_are_stored_in_and_read_from_s3(world, s3_briefings):
    edition = generated(world)

    listed = boto3_client("s3", endpoint_url=s3_briefings, **CREDENTIALS).list_objects_v2(Bucket=BUCKET)
    keys = sorted(item["Key"] for item in listed["Contents"])
    assert keys == sorted([edition.pdf_name, edition.html_name])
    assert edition.pdf_name.startswith(f"ring/{world.place.pk}/0001-{edition.code}")
    body = boto3_client("s3", endpoint_url=s3_briefings, **CREDENTIALS).get_object(Bucket=BUCKET, Key=edition.pdf_name)
    stored = body["Body"].read()
    assert stored.startswith(b"%PDF-") and hashlib.sha256(stored).hexdigest() == edition.sha256
    assert read_pdf(edition) == stored
    assert briefing_storage().exists(edition.html_name)
