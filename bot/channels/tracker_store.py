"""Rasa's SQL tracker store, keeping what people wrote with e-mail addresses, phone numbers and student ids
already redacted (``REDACT_AT_STORAGE=on``; ``make run`` then points Rasa's endpoints at this class).

Rasa Open Source stores each message as it was typed. This store writes a redacted copy of each new
user event instead: its text, the text in its parse data and its entities' values. The conversation in
memory is unchanged while Rasa answers the message, so nothing the assistant does with it is lost; a
later turn reads the redacted text back, as staff and exports do.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered

from bot.language.redact import Redactor
from bot.settings import load_settings


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.redact = Redactor(load_settings().student_id_pattern)

    def _additional_events(self, session, tracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield self.redacted(event) if isinstance(event, UserUttered) else event

    def redacted(self, event: UserUttered) -> UserUttered:
        clean = copy.deepcopy(event)
        clean.text = self.redact(event.text) if event.text else event.text
        clean.parse_data = self.redact.deep(event.parse_data)
        clean.entities = self.redact.deep(event.entities)
        return clean
