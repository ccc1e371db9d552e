"""Contacts and group members, whichever JID form (LID or phone number) is asked for."""

from __future__ import annotations

from sqlalchemy import Connection, select

from .. import jids
from ..store.schema import contacts, group_participants
from .identity import lid_of, resolve_jid
from .views import ContactView, ParticipantView


def get_contact(conn: Connection, account_id: int, jid: str) -> ContactView | None:
    """One person by PN or LID; the stored contact row of the canonical form."""
    canonical = resolve_jid(conn, account_id, jid)
    row = conn.execute(
        select(contacts).where(contacts.c.account_id == account_id, contacts.c.jid == canonical)
    ).first()
    lid = row.lid if row and row.lid else None
    if lid is None and jids.is_pn(canonical):
        lid = lid_of(conn, account_id, canonical)
    if row is None and lid is None:
        return None
    return ContactView(
        jid=canonical,
        lid=lid or (canonical if jids.is_lid(canonical) else None),
        phone_number=(row.phone_number if row else None) or jids.phone_number_of(canonical),
        saved_name=row.saved_name if row else None,
        push_name=row.push_name if row else None,
        verified_name=row.verified_name if row else None,
        business_name=row.business_name if row else None,
        picture_url=row.picture_url if row else None,
    )


def list_participants(
    conn: Connection, account_id: int, group: str, *, include_left: bool = False
) -> list[ParticipantView]:
    """Members of a group (current ones unless ``include_left``)."""
    query = select(group_participants).where(
        group_participants.c.account_id == account_id,
        group_participants.c.group_jid == jids.canonical_jid(group),
    )
    if not include_left:
        query = query.where(group_participants.c.has_left.is_(False))
    rows = conn.execute(query.order_by(group_participants.c.member))
    return [ParticipantView(member=r.member, role=r.role, left=bool(r.has_left)) for r in rows]
