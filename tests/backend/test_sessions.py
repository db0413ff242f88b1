"""Sessions are created with one INSERT; a key already taken is drawn again, never overwritten."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from backend import sessions
from backend.sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)


def keys(*drawn: str) -> Iterator[str]:
    yield from drawn


def test_it_creates_a_session_with_one_insert() -> None:
    store = SessionStore()
    store["signed"] = [1]

    with CaptureQueriesContext(connection) as captured:
        store.save()

    assert [query["sql"].split(" (")[0] for query in captured] == ['INSERT INTO "django_session"']
    assert SessionStore(store.session_key).load() == {"signed": [1]}


def test_it_draws_another_key_when_the_drawn_one_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = SessionStore()
    taken["owner"] = "someone else"
    taken.save()
    drawn = keys(str(taken.session_key), "b" * 32)
    monkeypatch.setattr(sessions, "get_random_string", lambda *args: next(drawn))

    store = SessionStore()
    store["owner"] = "me"
    store.save()

    assert store.session_key == "b" * 32
    assert SessionStore(taken.session_key).load() == {"owner": "someone else"}
    assert SessionStore("b" * 32).load() == {"owner": "me"}


def test_it_keeps_the_callers_transaction_usable_when_the_key_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = SessionStore()
    taken.save()
    drawn = keys(str(taken.session_key), "c" * 32)
    monkeypatch.setattr(sessions, "get_random_string", lambda *args: next(drawn))

    with transaction.atomic():
        store = SessionStore()
        store["owner"] = "me"
        store.save()
        after = Session.objects.count()  # would fail in an aborted transaction

    assert (store.session_key, after) == ("c" * 32, 2)
