"""Database sessions that restart the idle timeout without writing on every request.

SESSION_SAVE_EVERY_REQUEST makes Django save the session after every request so that its expiry moves on: an
UPDATE and a commit for every page, however read-only. This store skips that save when nothing in the session
changed and its stored expiry was moved on less than ``REFRESH_SECONDS`` ago, so a busy person's session is written
about once a minute and the idle timeout ends between 29 and 30 minutes after their last request, never later."""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone

REFRESH_SECONDS = 60


class SessionStore(DatabaseStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._stored_expiry: datetime.datetime | None = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def _fresh(self) -> bool:
        """Loaded from the database unchanged, with an expiry moved on within the last ``REFRESH_SECONDS``."""
        if self.modified or self._stored_expiry is None or self.session_key is None:
            return False
        wanted = timezone.now() + datetime.timedelta(seconds=self.get_expiry_age())
        return wanted - self._stored_expiry < datetime.timedelta(seconds=REFRESH_SECONDS)

    def save(self, must_create: bool = False) -> None:
        if not must_create and self.session_key is not None:
            self._get_session()  # loads it (and its stored expiry) if this request never read it
        if not must_create and self._fresh():
            return
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()
