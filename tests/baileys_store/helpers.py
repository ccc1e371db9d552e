"""Helpers for the store-file tests: a counting fake decoder and generated layout variants."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from wa_archive import Archive
from wa_archive.jids import canonical_jid
from wa_archive.records import OWN, Batch, ChatRecord, ContactRecord, MessageRecord, Record
from wa_archive.sources.baileys_store import Decoders
from wa_archive.store.schema import messages

FIXTURES = Path(__file__).parent.parent / "fixtures" / "baileys_store"
ORIGINAL = FIXTURES / "baileys_store_v6_example.json"
PRETTY = FIXTURES / "baileys_store_v6_example.pretty.json"
RELOADED = FIXTURES / "baileys_store_v6_example.reloaded.json"

ALICE = "15551234567@s.whatsapp.net"
GROUP = "120363041234567890@g.us"


def load(path: Path = ORIGINAL) -> dict[str, Any]:
    """The fixture parsed, key order kept."""
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def dump(data: Any, path: Path, *, indent: int | None = None) -> Path:
    """Write ``data`` the way JSON.stringify does (raw UTF-8), optionally pretty."""
    separators = (",", ":") if indent is None else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    path.write_text(text, encoding="utf-8")
    return path


class FakeDecoders:
    """A minimal stand-in for wa_archive.decode that counts its calls per kind."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.raws: list[bytes | None] = []

    def decoders(self) -> Decoders:
        """The Decoders value routing to this fake."""
        return Decoders(
            message=self.message,
            chat=self.chat,
            contact=self.contact,
            label=self._counter("label"),
            label_association=self._counter("label_association"),
            group_metadata=self._counter("group_metadata"),
        )

    def _counter(self, kind: str) -> Any:
        def decode(obj: dict[str, Any], out: Batch) -> None:
            self.calls[kind] += 1

        return decode

    def message(
        self, obj: dict[str, Any], out: Batch, *, source: str = "baileys", raw: bytes | None = None
    ) -> list[Record]:
        """Decode identity, text and timestamp only."""
        self.calls["message"] += 1
        self.raws.append(raw)
        key = obj["key"]
        from_me = bool(key.get("fromMe"))
        chat = canonical_jid(key["remoteJid"])
        sender = OWN if from_me else canonical_jid(key.get("participant") or key["remoteJid"])
        content = obj.get("message") or {}
        text = content.get("conversation") if isinstance(content, dict) else None
        return [
            MessageRecord(
                chat=chat,
                sender=sender,
                id=key["id"],
                from_me=from_me,
                timestamp=int(obj.get("messageTimestamp") or 0) * 1000,
                text=text,
                richness=2 if content else 0,
                source=source,
            )
        ]

    def chat(self, obj: dict[str, Any], out: Batch) -> None:
        """Record the chat jid and name."""
        self.calls["chat"] += 1
        out.chats.append(ChatRecord(jid=canonical_jid(obj["id"]), name=obj.get("name")))

    def contact(self, obj: dict[str, Any], out: Batch) -> None:
        """Record the contact jid and name."""
        self.calls["contact"] += 1
        out.contacts.append(ContactRecord(jid=canonical_jid(obj["id"]), saved_name=obj.get("name")))


def identities(batches: list[Batch]) -> list[tuple[str, str, str]]:
    """Every (chat, sender, id) of the message records, in order."""
    return [(m.chat, m.sender, m.id) for b in batches for m in b.messages]


def keys(archive: Archive, account: int) -> set[tuple[str, str, str]]:
    """Every stored (chat, sender, id) of an account."""
    with archive.connect() as conn:
        query = select(messages.c.chat, messages.c.sender, messages.c.id).where(
            messages.c.account_id == account
        )
        return {(c, s, i) for c, s, i in conn.execute(query)}
