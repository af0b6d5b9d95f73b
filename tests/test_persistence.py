"""Conversations live in Rasa's SQL tracker store: a restart of both servers loses nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from bot.catalogue.loading import load_catalog
from bot.catalogue.models import make_engine
from bot.settings import PROJECT_ROOT, load_settings
from tests.conftest import POSTGRES_URL, free_port, postgres_available
from tests.stack import running_stack
from tests.test_e2e import Conversation

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_conversation_survives_a_restart(store, trained_model, tmp_path):
    if store == "postgresql" and not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (start it to run this case)")
    eng = make_engine(load_settings({"ADVISOR_VAR_DIR": str(tmp_path)}).database_url)
    load_catalog(eng, PROJECT_ROOT / "data" / "catalog")
    eng.dispose()
    env = {}
    if store == "postgresql":
        env = {"TRACKER_STORE_DIALECT": "postgresql", "TRACKER_STORE_URL": POSTGRES_URL}
    sender = uuid.uuid4().hex
    with running_stack(trained_model, tmp_path, (free_port(), free_port(), None), env) as st:
        c = Conversation(st.rasa_url)
        c.sender = sender
        _, customs = c.say("I want to work in cloud computing, £300, 3 months, 5 hours a week")
        first_title = customs[0]["items"][0]["title"]
    with running_stack(trained_model, tmp_path, (free_port(), free_port(), None), env) as st:
        c = Conversation(st.rasa_url)
        c.sender = sender
        reply, _ = c.say("tell me more about the first one")
    assert reply.startswith(first_title)
    if store == "postgresql":
        pg = make_engine(POSTGRES_URL)
        with pg.connect() as conn:
            n = conn.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"), {"s": sender}
            ).scalar_one()
        pg.dispose()
        assert n == 2
