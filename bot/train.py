"""``python -m bot.train``: train into models/ only when the training data changed."""
import sys

from bot.run import ensure_model

if __name__ == "__main__":
    force = "--force" in sys.argv[1:]
    ensure_model(force=force)
