"""Rasa's Redis lock store, with every change of a conversation's lock made atomically.

Rasa 3.6's ``RedisLockStore`` reads a conversation's ticket lock, changes it in Python and writes it back.
Two Rasa servers taking messages of one conversation at the same moment both read the lock before either
wrote it, both get ticket 0, and both process at once: one message's events overwrite the other's, and a
message answered 200 is lost from the conversation (seen with two servers behind the balancer). Here each
change — issuing a ticket, finishing one, dropping expired ones, deleting the lock when nobody waits —
is one Redis transaction (WATCH, then MULTI/EXEC, tried again when another server changed the lock in
between), so each server that takes a message of a conversation waits for the one before.

**A server that dies holding a ticket does not hold up the conversation for a minute.** A ticket lives
``TICKET_LOCK_LIFETIME`` seconds (60): a Rasa server killed while it processes a message leaves its ticket
in Redis, and the conversation's next message (the client sending it again to another server) would wait
that long. Each lock store says it is alive (a key that expires after :data:`ALIVE_FOR` seconds, renewed
every :data:`ALIVE_EVERY` by a thread of its own, so a busy event loop does not stop it) and records which
store holds each ticket; a server waiting for a lock drops the tickets of a store no longer alive. A
message of a server killed is then waited for about :data:`ALIVE_FOR` seconds at most.

**Redis restarting** (the locks are lost with it; nothing else is kept there): a command that finds its
connection gone is tried again on a new one for up to :data:`RETRY_SECONDS`; past that the message fails
(the channel answers 503) and the client sends it again.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

#: a lock store not heard from for this many seconds is taken as dead, and its tickets dropped
ALIVE_FOR = 5
ALIVE_EVERY = 1.0
#: how long a Redis command whose connection was lost is tried again
RETRY_SECONDS = 3.0


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose read-change-write of a lock cannot interleave with another server's."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # as Rasa builds a lock store named by its class in endpoints.yml
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self.owner = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.space = self.key_prefix.rsplit("lock:", 1)[0]  # "advisor:" (the locks are "advisor:lock:<id>")
        self._heartbeat: threading.Thread | None = None

    # -- who is alive --------------------------------------------------------------------------------

    def alive_key(self, owner: str) -> str:
        return f"{self.space}alive:{owner}"

    def owners_key(self, conversation_id: str) -> str:
        return f"{self.space}lock-owners:{conversation_id}"

    def say_alive(self) -> None:
        try:
            self.red.set(self.alive_key(self.owner), 1, ex=ALIVE_FOR)
        except redis.RedisError:
            pass  # (Redis away: the next beat says it again)

    def _beat(self) -> None:
        while True:
            self.say_alive()
            time.sleep(ALIVE_EVERY)

    def start_heartbeat(self) -> None:
        if self._heartbeat is None:
            self.say_alive()
            self._heartbeat = threading.Thread(target=self._beat, name="lock-store-alive", daemon=True)
            self._heartbeat.start()

    def _without_the_dead(self, lock: TicketLock, owners: dict) -> None:
        """Drop the tickets held by lock stores no longer alive (a server killed while it held them)."""
        held = {int(number): owner.decode() for number, owner in owners.items()}
        gone = {owner for owner in set(held.values()) if not self.red.exists(self.alive_key(owner))}
        if gone:
            dead = [t for t in lock.tickets if held.get(t.number) in gone]
            lock.tickets = deque(t for t in lock.tickets if t not in dead)
            if dead:
                log.warning("dropped %d ticket(s) of a server that stopped while holding them", len(dead))

    # -- Redis, tried again when a connection is lost -------------------------------------------------

    def _retrying(self, command: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                return command()
            except (redis.ConnectionError, redis.TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self._retrying(lambda: super(AtomicRedisLockStore, self).get_lock(conversation_id))

    def _change(
        self,
        conversation_id: str,
        change: Callable[[TicketLock | None], tuple[TicketLock | None, Any]],
        owners: Callable[[Any, int | None], None] | None = None,
    ):
        """Apply ``change`` to the stored lock atomically; it returns the lock to keep (None: delete it) and a
        value, which is returned. ``owners(pipe, value)`` adds changes of the owners' record to the transaction."""
        return self._retrying(lambda: self._change_once(conversation_id, change, owners))

    def _change_once(self, conversation_id: str, change, owners) -> Any:
        key, owners_key = self.key_prefix + conversation_id, self.owners_key(conversation_id)
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key, owners_key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    held = pipe.hgetall(owners_key) if lock is not None else {}
                    if lock is not None and held:
                        self._without_the_dead(lock, held)
                    kept, value = change(lock)
                    pipe.multi()
                    if kept is None:
                        pipe.delete(key, owners_key)
                    else:
                        pipe.set(key, kept.dumps())
                        gone = [n for n in held if int(n) not in {t.number for t in kept.tickets}]
                        if gone:
                            pipe.hdel(owners_key, *gone)
                    if owners is not None and kept is not None:
                        owners(pipe, value)
                    pipe.execute()
                    return value
                except redis.WatchError:
                    continue  # another server changed the lock in between: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        def record_owner(pipe, number: int) -> None:
            # alive said with the ticket, in one transaction: no moment where the ticket is there and this
            # store is not (after Redis restarted, before the next beat)
            pipe.set(self.alive_key(self.owner), 1, ex=ALIVE_FOR)
            pipe.hset(self.owners_key(conversation_id), str(number), self.owner)
            pipe.expire(self.owners_key(conversation_id), int(lock_lifetime) + 60)

        self.start_heartbeat()
        try:
            return self._change(conversation_id, issue, record_owner)
        except redis.RedisError as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket, and delete the lock when nobody else waits: in one transaction, so a ticket
        another server issued in between is never deleted with it."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)
