"""``python -m bot.review``: the staff review app on REVIEW_PORT (``make run`` starts it)."""

from bot.channels.serving import run_server
from bot.review.app import init_app

if __name__ == "__main__":
    run_server(
        "review",
        "Serve the staff review app: conversations, charts and exports, behind a staff login.",
        lambda settings: settings.review_port,
        lambda settings, rasa_url: init_app(settings),
    )
