"""Command line: ``python -m bot.cli seed|stats``."""
from __future__ import annotations

import argparse
import logging
import sys

from bot.catalog import CatalogError, load_catalog
from bot.db import make_engine
from bot.repository import count_credentials
from bot.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description="Credential database tasks.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed", help="create the database tables and load data/catalog (updates in place)")
    sub.add_parser("stats", help="print how many credentials the database holds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        if args.command == "seed":
            try:
                report = load_catalog(engine, settings.catalog_dir)
            except CatalogError as exc:
                print(f"Catalogue not loaded, nothing was written.\n{exc}", file=sys.stderr)
                return 1
            print(f"Credential database ready: {report.credentials} credentials from {report.providers} providers, "
                  f"{report.rates} exchange rates.")
        elif args.command == "stats":
            print(f"{count_credentials(engine)} credentials")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
