"""Django's database sessions, created with one INSERT instead of a SELECT and a transaction.

Django's store asks the database whether a new random key is taken (`exists()`), then inserts
the session in a transaction of its own. A key is 32 characters drawn from 36 (165 bits): the
check almost never finds one, and the INSERT's primary key catches the repeat anyway, after
which create() draws another key. Outside a transaction one INSERT is atomic by itself, so it
is sent alone (no BEGIN and COMMIT); inside one, Django's savepoint keeps a collision from
breaking the caller's transaction.

settings.SESSION_ENGINE: "backend.sessions".
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import IntegrityError, connections, router
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    async def _aget_new_session_key(self) -> str:
        return self._get_new_session_key()

    def save(self, must_create: bool = False) -> None:
        if not must_create or self.session_key is None:
            super().save(must_create=must_create)  # an update, or create(), which comes back here
            return
        data = self._get_session(no_load=True)  # type: ignore[attr-defined]  # Django's, not in its stubs
        session = self.create_model_instance(data)
        using = router.db_for_write(self.model, instance=session)
        if connections[using].in_atomic_block:
            super().save(must_create=True)
            return
        try:
            session.save(force_insert=True, using=using)
        except IntegrityError as error:  # the key was taken: create() draws another
            raise CreateError from error
