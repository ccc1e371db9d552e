"""Applying pending edits and revokes to their target message once both are stored.

An edit or revoke is stored as a fact whatever the arrival order, pending (``applied``
false) until its target message exists. It can only become applicable in the batch that
brings it or its target, so a batch checks just the pending effects of its own chats
(one primary-key range each) against its own keys: the cost follows the batch, not the
number of effects still waiting for a target that never came (an import of a store file
leaves many of those; scanning them all per batch made a 1M-message import quadratic).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

Key = tuple[str, str]
"""(chat, message id) of a target message."""

_CHUNK = 500  # values per IN list: far below either database's parameter limit

_MATCH = (
    "e.account_id = messages.account_id AND e.chat = messages.chat AND e.target_id = messages.id"
)
_TARGET = "account_id = {p} AND chat = {p} AND id = {p}"
APPLY = {
    # The current text is the latest edit's; the original text and send time never change.
    # An effect without a time ranks after the timed ones (NULLS LAST: the two databases
    # order NULL differently by default, and must pick the same winner).
    "message_edits": "UPDATE messages SET "
    f"text = (SELECT e.text FROM message_edits e WHERE {_MATCH} "
    "ORDER BY e.edited_at DESC NULLS LAST, e.edit_id DESC LIMIT 1), "
    f"edited_at = COALESCE((SELECT MAX(e.edited_at) FROM message_edits e WHERE {_MATCH}), "
    f"messages.timestamp) WHERE {_TARGET}",
    # A revoke makes a tombstone that keeps the content: the earliest revoke wins.
    "message_revokes": "UPDATE messages SET "
    f"deleted_at = COALESCE((SELECT MIN(e.revoked_at) FROM message_revokes e WHERE {_MATCH}), "
    "messages.timestamp), "
    f"deleted_by = (SELECT e.revoked_by FROM message_revokes e WHERE {_MATCH} "
    f"ORDER BY e.revoked_at NULLS LAST, e.revoke_id LIMIT 1) WHERE {_TARGET}",
}


def apply_pending(
    cur: Any, dialect: str, account_id: int, written: set[Key] | None, targets: set[Key]
) -> None:
    """Apply the pending effects that this batch made applicable.

    ``written``: the keys of the messages the batch stored; ``targets``: the targets of
    the effects it stored. ``written`` None (after a re-key moved rows) checks every
    pending effect of the account.
    """
    p = "%s" if dialect == "postgresql" else "?"
    no, yes = ("false", "true") if dialect == "postgresql" else ("0", "1")
    for table, apply_sql in APPLY.items():
        if written is None:
            ready = _all_ready(cur, table, account_id, p, no)
        else:
            ready = _ready_among(cur, table, account_id, written, targets, p, no)
        if not ready:
            continue
        rows = [(account_id, chat, target) for chat, target in sorted(ready)]
        cur.executemany(apply_sql.format(p=p), rows)
        cur.executemany(
            f"UPDATE {table} SET applied = {yes} "
            f"WHERE account_id = {p} AND chat = {p} AND target_id = {p}",
            rows,
        )


def _ready_among(
    cur: Any,
    table: str,
    account_id: int,
    written: set[Key],
    targets: set[Key],
    p: str,
    no: str,
) -> set[Key]:
    """Pending effects on the batch's keys whose target message is stored."""
    keys = written | targets
    pending: set[Key] = set()
    for chats in _chunks(sorted({chat for chat, _ in keys})):
        cur.execute(
            f"SELECT chat, target_id FROM {table} WHERE account_id = {p} "
            f"AND applied = {no} AND chat IN ({', '.join([p] * len(chats))})",
            (account_id, *chats),
        )
        pending.update(map(tuple, cur.fetchall()))
    candidates = pending & keys
    ready = candidates & written
    older = candidates - written  # effects of this batch on messages stored before it
    if older:
        ready |= _stored(cur, account_id, older, p)
    return ready


def _stored(cur: Any, account_id: int, keys: set[Key], p: str) -> set[Key]:
    """Which of ``keys`` are stored messages."""
    by_chat: dict[str, list[str]] = {}
    for chat, message_id in sorted(keys):
        by_chat.setdefault(chat, []).append(message_id)
    found: set[Key] = set()
    for chat, ids in by_chat.items():
        for chunk in _chunks(ids):
            cur.execute(
                f"SELECT chat, id FROM messages WHERE account_id = {p} AND chat = {p} "
                f"AND id IN ({', '.join([p] * len(chunk))})",
                (account_id, chat, *chunk),
            )
            found.update(map(tuple, cur.fetchall()))
    return found


def _all_ready(cur: Any, table: str, account_id: int, p: str, no: str) -> set[Key]:
    cur.execute(
        f"SELECT DISTINCT e.chat, e.target_id FROM {table} e JOIN messages m "
        "ON m.account_id = e.account_id AND m.chat = e.chat AND m.id = e.target_id "
        f"WHERE e.account_id = {p} AND e.applied = {no}",
        (account_id,),
    )
    return set(map(tuple, cur.fetchall()))


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
