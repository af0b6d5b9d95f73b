"""Rasa's own command line (``python -m bot.rasa_server run --model …`` is ``rasa run --model …``), with the
project's speed-ups applied first. ``make run``, the end-to-end tests and the benchmarks start Rasa this way.

- **The action server's reply is checked with a validator compiled once.** Rasa checks every reply
  against its response schema with ``jsonschema.validate``, which builds a new validator and re-checks
  the schema itself on every call. Under ``make bench`` that was two thirds of the Rasa server's CPU
  time (``make profile``). The same schema, validator class and best-match error are kept, and the
  same message is added to the error, so a bad reply is refused exactly as before.
"""

from __future__ import annotations

import sys
from typing import Any


def compiled_reply_check():
    """Rasa's ``RemoteAction._validate_action_result``, with the validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    return _validate_action_result


def apply_speedups() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = compiled_reply_check()


def main(argv: list[str] | None = None) -> int:
    apply_speedups()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
