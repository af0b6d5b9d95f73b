"""The action server: the advice service wired to the SQL catalogue, serving the actions in ``actions/``.

``python -m bot.action_server`` (what ``make run`` starts). It listens on ``BIND_HOST`` (127.0.0.1
unless configured) and ``ACTIONS_PORT``; the actions package is loaded by Rasa's SDK by name.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from rasa_sdk.endpoint import create_app

from bot.advice import service
from bot.catalogue.models import make_engine
from bot.catalogue.reader import SqlCatalogue
from bot.language.aims import AIMS
from bot.language.fields import FIELDS
from bot.model import Budget, CatalogueUnavailable, Constraints
from bot.settings import Settings, SettingsError, load_settings

ACTIONS_PACKAGE = "actions"


def warm_up(advisor: service.Advisor) -> float:
    """Ask the catalogue what a first conversation asks (a list for each broad aim, one in a field, cheaper
    options, an option's details, a name), so that the first person after a start does not wait while
    statements are compiled and the rates and aims are read: the seconds it took."""
    started = time.perf_counter()
    budget = Budget("limit", 987.0, "USD")
    for aim in AIMS:
        c = Constraints(aims=(aim.code,), budget=budget, weeks=11.0, hours_per_week=4.5)
        rec = advisor.recommend(c)
        ids = [m.record.id for m in rec.shown]
        rec.text()
        if ids:
            cheapest = advisor.cheapest_of(ids, c)
            if cheapest is not None:
                advisor.recommend(c, cheaper_than_usd=cheapest)
            for record in advisor.details(ids[:1]):
                advisor.plan(record, c)
    if FIELDS:
        field = FIELDS[0]
        c = Constraints(aims=(field.aim,), budget=budget, weeks=11.0, hours_per_week=4.5)
        advisor.recommend(service.in_field(c, field.code))
    advisor.named_in("is CAPM recognised?")
    return time.perf_counter() - started


def install_advisor(settings: Settings) -> service.Advisor:
    """The advisor the actions use in this process, reading the catalogue at ``DATABASE_URL``."""
    catalogue = SqlCatalogue(make_engine(settings.database_url), hold_seconds=settings.catalogue_cache_seconds)
    advisor = service.Advisor(catalogue, settings)
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
    advisor = install_advisor(settings)
    try:
        logging.getLogger(__name__).info("warmed up in %.2f s", warm_up(advisor))
    except CatalogueUnavailable as exc:  # the first person gets the apology; nothing to warm
        logging.getLogger(__name__).warning("not warmed up: %s", exc)
    app = create_app(ACTIONS_PACKAGE, cors_origins=None)
    try:
        app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)
    except OSError as exc:
        print(f"The action server cannot listen on {args.host}:{args.port}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
