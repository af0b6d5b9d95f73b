"""The action server: the advice service wired to the SQL catalogue, serving the actions in ``actions/``.

``python -m bot.action_server`` (what ``make run`` starts). It listens on ``BIND_HOST`` (127.0.0.1
unless configured) and ``ACTIONS_PORT``; the actions package is loaded by Rasa's SDK by name.
"""

from __future__ import annotations

import argparse
import logging
import sys

from rasa_sdk.endpoint import create_app

from bot.advice import service
from bot.catalogue.models import make_engine
from bot.catalogue.reader import SqlCatalogue
from bot.settings import Settings, SettingsError, load_settings

ACTIONS_PACKAGE = "actions"


def install_advisor(settings: Settings) -> service.Advisor:
    """The advisor the actions use in this process, reading the catalogue at ``DATABASE_URL``."""
    advisor = service.Advisor(SqlCatalogue(make_engine(settings.database_url)), settings)
    service.install(advisor)
    return advisor


def main(argv: list[str] | None = None) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.bind_host)
    parser.add_argument("--port", type=int, default=settings.actions_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s actions %(levelname)s %(name)s: %(message)s")
    install_advisor(settings)
    app = create_app(ACTIONS_PACKAGE, cors_origins=None)
    try:
        app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)
    except OSError as exc:
        print(f"The action server cannot listen on {args.host}:{args.port}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
