from __future__ import annotations

from typing import Any

import pytest

from privacy.crypto import DecryptionError, decrypt, encrypt, key_id_of
from tests.privacy.conftest import new_key

CONTEXT = "privacy_app.Person.email"


def test_it_round_trips_text_under_the_current_key(settings: Any) -> None:
    token = encrypt("zoë@example.org", context=CONTEXT)

    assert decrypt(token, context=CONTEXT) == "zoë@example.org"
    assert token.startswith(f"v1:{settings.FIELD_ENCRYPTION_KEYS[0][0]}:")
    assert key_id_of(token) == settings.FIELD_ENCRYPTION_KEYS[0][0]


def test_it_uses_a_fresh_nonce_for_every_encryption() -> None:
    assert encrypt("same", context=CONTEXT) != encrypt("same", context=CONTEXT)


def test_it_round_trips_the_empty_string() -> None:
    assert decrypt(encrypt("", context=CONTEXT), context=CONTEXT) == ""


def test_it_decrypts_under_an_older_key_still_in_the_ring(settings: Any) -> None:
    token = encrypt("alice@example.org", context=CONTEXT)
    settings.FIELD_ENCRYPTION_KEYS = [new_key(), *settings.FIELD_ENCRYPTION_KEYS]

    assert decrypt(token, context=CONTEXT) == "alice@example.org"


def test_it_refuses_a_token_whose_key_id_is_unknown_naming_the_key(settings: Any) -> None:
    token = encrypt("alice@example.org", context=CONTEXT)
    kid = key_id_of(token)
    settings.FIELD_ENCRYPTION_KEYS = [new_key()]

    with pytest.raises(DecryptionError, match=kid) as caught:
        decrypt(token, context=CONTEXT)
    assert "alice" not in str(caught.value)


def test_it_refuses_a_token_when_the_key_behind_its_id_is_wrong(settings: Any) -> None:
    token = encrypt("alice@example.org", context=CONTEXT)
    kid = key_id_of(token)
    settings.FIELD_ENCRYPTION_KEYS = [(kid, bytes(32))]

    with pytest.raises(DecryptionError, match=kid) as caught:
        decrypt(token, context=CONTEXT)
    assert "alice" not in str(caught.value)


def test_it_refuses_a_tampered_token() -> None:
    token = encrypt("alice@example.org", context=CONTEXT)
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]

    with pytest.raises(DecryptionError):
        decrypt(flipped, context=CONTEXT)


def test_it_refuses_a_token_moved_to_another_column() -> None:
    token = encrypt("alice@example.org", context=CONTEXT)

    with pytest.raises(DecryptionError):
        decrypt(token, context="privacy_app.Person.name")


@pytest.mark.parametrize(
    "token",
    ["alice@example.org", "", "v1:", "v1:kid:", "v2:kid:AAAA", "v1:k-d:AAAA", "v1:kid:AAAA", "v1:kid:not base64!"],
)
def test_it_refuses_malformed_tokens(token: str) -> None:
    with pytest.raises(DecryptionError, match="Malformed"):
        decrypt(token, context=CONTEXT)
