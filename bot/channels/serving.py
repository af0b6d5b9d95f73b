"""Starting one of the project's web processes (the web server, the Slack relay) from the command line."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from aiohttp import web

from bot.settings import Settings, SettingsError, load_settings


def run_server(
    name: str,
    description: str,
    port_of: Callable[[Settings], int],
    build: Callable[[Settings, str], web.Application],
    argv: list[str] | None = None,
    missing: Callable[[Settings], str | None] = lambda settings: None,
) -> None:
    """Read the settings (a bad value, or what ``missing`` says is missing, stops with its message),
    the command line (``--host``, ``--port``, ``--rasa-url``), then serve ``build(settings, rasa_url)``."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise SystemExit(str(exc)) from None
    problem = missing(settings)
    if problem:
        raise SystemExit(problem)
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default=settings.bind_host)
    parser.add_argument("--port", type=int, default=port_of(settings))
    parser.add_argument("--rasa-url", default=f"http://127.0.0.1:{settings.rasa_port}")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {name} %(levelname)s %(message)s")
    web.run_app(build(settings, args.rasa_url), host=args.host, port=args.port, print=None)
