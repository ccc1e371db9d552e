"""Resolving a JID a user or bot asks about to the form the archive stores."""

from __future__ import annotations

from sqlalchemy import Connection, select

from .. import jids
from ..records import OWN
from ..store.schema import identities


def resolve_jid(conn: Connection, account_id: int, jid: str) -> str:
    """Canonical JID, with a LID replaced by its phone-number JID when the pair is known."""
    if jid == OWN:
        return jid
    canonical = jids.canonical_jid(jid)
    if not jids.is_lid(canonical):
        return canonical
    pn = conn.execute(
        select(identities.c.pn).where(
            identities.c.account_id == account_id, identities.c.lid == canonical
        )
    ).scalar()
    return pn or canonical


def lid_of(conn: Connection, account_id: int, pn: str) -> str | None:
    """The LID known for a phone-number JID, if any."""
    return conn.execute(
        select(identities.c.lid)
        .where(identities.c.account_id == account_id, identities.c.pn == pn)
        .order_by(identities.c.lid)
        .limit(1)
    ).scalar()
