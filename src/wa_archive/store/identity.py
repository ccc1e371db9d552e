"""The identity map (LID ↔ phone-number JID) and the re-keying it triggers.

JIDs are stored in canonical form: the phone-number JID when the pair is known, else the form
seen. When a batch reveals a new pair, rows already stored under the LID move to the PN;
where both forms already hold a row for the same key, the copies merge (for messages the
richer copy's content survives) and the LID duplicate is removed.
"""

from __future__ import annotations

from typing import Any

from ..records import IdentityRecord
from .upserts import MESSAGE_COLUMNS

# (table, jid column, the other key columns) — every place a person's JID is stored.
KEYED_JID_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("messages", "chat", ("id", "sender")),
    ("messages", "sender", ("chat", "id")),
    ("media", "chat", ("message_id", "sender")),
    ("media", "sender", ("chat", "message_id")),
    ("message_edits", "chat", ("target_id", "edit_id")),
    ("message_revokes", "chat", ("target_id", "revoke_id")),
    ("reactions", "chat", ("target_id", "reactor")),
    ("reactions", "reactor", ("chat", "target_id")),
    ("receipts", "chat", ("message_id", "recipient", "type")),
    ("receipts", "recipient", ("chat", "message_id", "type")),
    ("poll_votes", "chat", ("poll_id", "voter")),
    ("poll_votes", "voter", ("chat", "poll_id")),
    ("chats", "jid", ()),
    ("contacts", "jid", ()),
    ("group_participants", "member", ("group_jid",)),
    ("label_links", "chat", ("label_id", "message_id")),
    ("chat_coverage", "chat", ()),
)
PLAIN_JID_COLUMNS: tuple[tuple[str, str], ...] = (
    ("messages", "quoted_sender"),
    ("messages", "deleted_by"),
    ("message_edits", "editor"),
    ("message_revokes", "revoked_by"),
)

# What the richer of two copies of a message decides when they merge (as in the upsert);
# status and message secret are not taken from either copy wholesale.
_MESSAGE_CONTENT = tuple(
    c
    for c in MESSAGE_COLUMNS
    if c not in ("account_id", "chat", "id", "sender", "status", "message_secret")
)


class IdentityMap:
    """Per-account cache of the identities table: lid → pn, or None for a LID seen unmapped.

    A LID written to any row before its phone number is known is recorded with pn NULL, so
    that learning its pair later re-keys exactly the LIDs that are actually stored.
    """

    def __init__(self) -> None:
        self._maps: dict[int, dict[str, str | None]] = {}

    def known(self, cur: Any, account_id: int, param: str) -> dict[str, str | None]:
        """The lid → pn dict of an account (loaded from the database once)."""
        known = self._maps.get(account_id)
        if known is None:
            cur.execute(f"SELECT lid, pn FROM identities WHERE account_id = {param}", (account_id,))
            known = dict(cur.fetchall())
            self._maps[account_id] = known
        return known

    def forget(self, account_id: int) -> None:
        """Drop the cache of an account (after a failed transaction)."""
        self._maps.pop(account_id, None)

    def cached(self, account_id: int) -> dict[str, str | None] | None:
        """The account's lid → pn dict if it is loaded, else None."""
        return self._maps.get(account_id)

    @staticmethod
    def plan(known: dict[str, str | None], pairs: list[IdentityRecord]) -> dict[str, str]:
        """The unseen lid → pn pairs among ``pairs``, added to ``known`` (no database)."""
        fresh: dict[str, str] = {}
        for pair in pairs:
            if pair.lid and pair.pn and known.get(pair.lid) is None and pair.lid not in fresh:
                pn = known.get(pair.pn) or pair.pn
                fresh[pair.lid] = pn
        known.update(fresh)
        return fresh

    @staticmethod
    def store(
        cur: Any, account_id: int, fresh: dict[str, str], param: str
    ) -> list[tuple[str, str]]:
        """Store planned pairs; return the (lid, pn) pairs whose LID is already in stored rows."""
        if not fresh:
            return []
        lids = sorted(fresh)
        seen: set[str] = set()
        for i in range(0, len(lids), 500):
            chunk = lids[i : i + 500]
            cur.execute(
                f"SELECT lid FROM identities WHERE account_id = {param} AND pn IS NULL "
                f"AND lid IN ({', '.join([param] * len(chunk))})",
                (account_id, *chunk),
            )
            seen.update(row[0] for row in cur.fetchall())
        cur.executemany(
            f"INSERT INTO identities (account_id, lid, pn) VALUES ({param}, {param}, {param}) "
            "ON CONFLICT (account_id, lid) DO UPDATE SET pn = excluded.pn "
            "WHERE identities.pn IS NULL",
            [(account_id, lid, fresh[lid]) for lid in lids],
        )
        return [(lid, fresh[lid]) for lid in lids if lid in seen]

    @staticmethod
    def plan_unmapped(known: dict[str, str | None], lids: set[str]) -> list[str]:
        """The LIDs of ``lids`` not seen before, added to ``known`` as unmapped (no database)."""
        new = sorted(lid for lid in lids if lid not in known)
        for lid in new:
            known[lid] = None
        return new

    @staticmethod
    def store_unmapped(cur: Any, account_id: int, lids: list[str], param: str) -> None:
        """Record LIDs written without a known phone number."""
        cur.executemany(
            f"INSERT INTO identities (account_id, lid, pn) VALUES ({param}, {param}, NULL) "
            "ON CONFLICT (account_id, lid) DO NOTHING",
            [(account_id, lid) for lid in lids],
        )


def rekey(cur: Any, dialect: str, account_id: int, pairs: list[tuple[str, str]]) -> None:
    """Move rows stored under each LID of ``pairs`` to its phone-number JID."""
    p = "%s" if dialect == "postgresql" else "?"
    cur.execute("DELETE FROM _wa_rekey" if dialect == "sqlite" else "TRUNCATE _wa_rekey")
    cur.executemany(f"INSERT INTO _wa_rekey (lid, pn) VALUES ({p}, {p})", pairs)
    _merge_message_twins(cur, p, account_id)
    for table, col, others in KEYED_JID_COLUMNS:
        twin = " AND ".join(
            [f"t2.account_id = {table}.account_id", f"t2.{col} = k.pn"]
            + [f"t2.{o} = {table}.{o}" for o in others]
        )
        lids = "SELECT lid FROM _wa_rekey"
        # Rows whose PN twin exists are duplicates: the twin already holds (or merged) them.
        cur.execute(
            f"DELETE FROM {table} WHERE account_id = {p} AND {col} IN ({lids}) AND EXISTS ("
            f"SELECT 1 FROM _wa_rekey k JOIN {table} t2 ON {twin} WHERE k.lid = {table}.{col})",
            (account_id,),
        )
        cur.execute(
            f"UPDATE {table} SET {col} = (SELECT pn FROM _wa_rekey k WHERE k.lid = {table}.{col}) "
            f"WHERE account_id = {p} AND {col} IN ({lids})",
            (account_id,),
        )
    for table, col in PLAIN_JID_COLUMNS:
        cur.execute(
            f"UPDATE {table} SET {col} = (SELECT pn FROM _wa_rekey k WHERE k.lid = {table}.{col}) "
            f"WHERE account_id = {p} AND {col} IN (SELECT lid FROM _wa_rekey)",
            (account_id,),
        )


def _merge_message_twins(cur: Any, p: str, account_id: int) -> None:
    """Where a message exists under both forms, give the PN copy the richer content."""
    cols = ", ".join(_MESSAGE_CONTENT)
    lcols = ", ".join("l." + c for c in _MESSAGE_CONTENT)
    twin = (
        "FROM messages l LEFT JOIN _wa_rekey kc ON kc.lid = l.chat "
        "LEFT JOIN _wa_rekey ks ON ks.lid = l.sender "
        "WHERE l.account_id = messages.account_id AND l.id = messages.id "
        "AND (kc.lid IS NOT NULL OR ks.lid IS NOT NULL) "
        "AND COALESCE(kc.pn, l.chat) = messages.chat "
        "AND COALESCE(ks.pn, l.sender) = messages.sender"
    )
    cur.execute(
        f"UPDATE messages SET ({cols}) = (SELECT {lcols} {twin} ORDER BY l.richness DESC LIMIT 1) "
        f"WHERE account_id = {p} AND EXISTS (SELECT 1 {twin} AND l.richness > messages.richness)",
        (account_id,),
    )


def rekey_table_ddl(dialect: str) -> str:
    """DDL of the temporary table holding this batch's new pairs."""
    if dialect == "postgresql":
        return (
            "CREATE TEMP TABLE IF NOT EXISTS _wa_rekey (lid text PRIMARY KEY, pn text NOT NULL) "
            "ON COMMIT DELETE ROWS"
        )
    return "CREATE TEMP TABLE IF NOT EXISTS _wa_rekey (lid TEXT PRIMARY KEY, pn TEXT NOT NULL)"
