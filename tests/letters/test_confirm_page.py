"""The page an e-mailed link opens names each signature and letter its button confirms."""

from __future__ import annotations

import re
from typing import Any

from campaigns.models import Petition
from campaigns.signing import SignatureForm, sign_petition
from tests.letters.conftest import write


def confirm_path(mail: Any) -> str:
    found = re.search(r"/confirm/[^/\s]+/", mail.body)
    assert found is not None
    return found.group(0)


def test_it_lists_the_letter_and_the_signature_of_one_visit(client, ring, drive, bloomfield, mailoutbox, on_commit):
    petition = Petition.objects.create(campaign=ring, slug="end-ring", title="End the Ring partnership", text="Please.")
    visit: dict[str, Any] = {}
    with on_commit(execute=True):
        form = SignatureForm(
            petition=petition, email="dana@example.org", name="Dana Scully", place=bloomfield, language="en"
        )
        sign_petition(form, visit=visit)
        write(drive, bloomfield, visit=visit)

    page = client.get(confirm_path(mailoutbox[-1]))

    assert page.status_code == 200
    assert "Your signature on “End the Ring partnership”, for Bloomfield, NJ." in page.text
    assert (
        "Your letter to the officials of Bloomfield, NJ (“Write to your council”): it is sent when you confirm."
        in page.text
    )


def test_it_names_nothing_of_another_visit(client, drive, bloomfield, maywood, mailoutbox, on_commit):
    with on_commit(execute=True):
        write(drive, bloomfield)
        write(drive, maywood, email="fox@example.org")

    page = client.get(confirm_path(mailoutbox[-1]))

    assert "the officials of Maywood" in page.text
    assert "Bloomfield" not in page.text
