"""E-mail addresses, phone numbers and student ids out of what staff see, what is exported, and (with
``REDACT_AT_STORAGE=on``) what the tracker store keeps."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a run of digits with the separators people type in phone numbers; kept only with 10 to 15 digits, so
# years ("2024-2025"), prices and durations stay
_URL = re.compile(r"(https?://\S+)")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{7,}\d(?!\w)")


class Redactor:
    def __init__(self, student_id_pattern: str | None = None):
        self.student_id = re.compile(student_id_pattern) if student_id_pattern else None

    def __call__(self, text: str | None) -> str:
        if not text:
            return text or ""
        text = _EMAIL.sub("[e-mail address]", text)
        # numbers inside a web address (a document's number, a course id) are neither phones nor student ids
        parts = _URL.split(text)
        return "".join(part if i % 2 else self._numbers(part) for i, part in enumerate(parts))

    def _numbers(self, text: str) -> str:
        text = _PHONE.sub(_phone, text)
        if self.student_id is not None:
            text = self.student_id.sub("[student id]", text)
        return text

    def deep(self, value):
        """The same redaction through a JSON-like value (the entities and cards of an event)."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        return value


def _phone(match: re.Match) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return "[phone number]" if 10 <= digits <= 15 else match.group(0)
