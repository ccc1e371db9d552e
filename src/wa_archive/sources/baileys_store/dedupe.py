"""Duplicate bookkeeping for one store file: seen message identities and the revoke-pair quirk.

Memory bound: these are the only structures that grow with the file. ``SeenSet``
keeps one 64-bit fingerprint per distinct message in open-addressing tables kept
between 35% and 70% full, i.e. 11–23 bytes per message (1M messages ≈ 16 MB, 10M ≈
160 MB), instead of ~70 bytes per entry for a Python set of ints. ``RevokePairs``
keeps the target of each REVOKE protocolMessage packed the same way (fingerprint +
offset into one byte arena: ~25–70 bytes per revoke instead of ~300 for a dict of
strings) and the revoke stubs of the file (one per revoked message) until the end of
the file.
"""

from __future__ import annotations

from array import array
from typing import Any

from wa_archive.jids import canonical_jid

_MASK = (1 << 64) - 1


def fingerprint(value: object) -> int:
    """A non-zero 64-bit fingerprint of a hashable value (stable within one process)."""
    return (hash(value) & _MASK) or 1


PARTS = 64
"""Sub-tables of a ``SeenSet``. Each doubles on its own, so a doubling holds 1/64 of the
table twice instead of all of it (a 4M-message file: 1 MB more for a moment, not 32 MB)."""

_PART_BITS = PARTS.bit_length() - 1


class SeenSet:
    """A compact set of 64-bit fingerprints, optionally with one 64-bit value each.

    The low bits of a fingerprint pick one of ``PARTS`` open-addressing sub-tables, the
    next ones its home slot there (linear probing, each kept between 35% and 70% full).
    """

    def __init__(self, capacity: int = 1 << 16, *, values: bool = False) -> None:
        size = max(1 << max(capacity // PARTS - 1, 1).bit_length(), 8)  # a power of two
        self._tables = [array("Q", bytes(8 * size)) for _ in range(PARTS)]
        self._values = [array("Q", bytes(8 * size)) for _ in range(PARTS)] if values else None
        self._counts = [0] * PARTS

    def __len__(self) -> int:
        return sum(self._counts)

    @property
    def nbytes(self) -> int:
        """Bytes held by the tables."""
        return sum(map(len, self._tables)) * (16 if self._values is not None else 8)

    def _slot(self, fp: int) -> tuple[array[int], int]:
        """The sub-table for ``fp`` and its slot holding ``fp``, or the empty one it would take."""
        table = self._tables[fp & (PARTS - 1)]
        mask = len(table) - 1
        slot = (fp >> _PART_BITS) & mask
        while True:
            held = table[slot]
            if held == fp or held == 0:
                return table, slot
            slot = (slot + 1) & mask

    def add(self, identity: object, value: int = 0) -> bool:
        """Add one identity (with ``value``); True if it was new, False if seen before."""
        fp = (hash(identity) & _MASK) or 1  # fingerprint() and _slot(), inlined: once per message
        part = fp & (PARTS - 1)
        table = self._tables[part]
        mask = len(table) - 1
        slot = (fp >> _PART_BITS) & mask
        held = table[slot]
        while held:
            if held == fp:
                return False
            slot = (slot + 1) & mask
            held = table[slot]
        table[slot] = fp
        if self._values is not None:
            self._values[part][slot] = value
        count = self._counts[part] = self._counts[part] + 1
        if count * 10 > mask * 7:
            self._grow(part)
        return True

    def get(self, identity: object) -> int | None:
        """The value stored with ``identity``, or None if it was never added."""
        fp = fingerprint(identity)
        table, slot = self._slot(fp)
        if self._values is None or not table[slot]:
            return None
        return self._values[fp & (PARTS - 1)][slot]

    def _grow(self, part: int) -> None:
        """Double one sub-table and re-insert its fingerprints (and values)."""
        old = self._tables[part]
        size = 2 * len(old)
        self._tables[part] = table = array("Q", bytes(8 * size))
        mask = size - 1
        if self._values is None:
            for fp in filter(None, old):  # the empty slots are skipped in C
                slot = (fp >> _PART_BITS) & mask
                while table[slot]:
                    slot = (slot + 1) & mask
                table[slot] = fp
            return
        old_values = self._values[part]
        self._values[part] = values = array("Q", bytes(8 * size))
        for fp, value in zip(old, old_values, strict=True):
            if fp:
                slot = (fp >> _PART_BITS) & mask
                while table[slot]:
                    slot = (slot + 1) & mask
                table[slot] = fp
                values[slot] = value


class TargetIds:
    """(chat, id) → revoke target id, in ~24–32 bytes plus the target's UTF-8 per entry."""

    def __init__(self) -> None:
        self._slots = SeenSet(PARTS * 16, values=True)
        self._arena = bytearray()

    def __len__(self) -> int:
        return len(self._slots)

    @property
    def nbytes(self) -> int:
        """Bytes held by the table and the packed ids."""
        return self._slots.nbytes + len(self._arena)

    def setdefault(self, key: tuple[str, str], target: str) -> None:
        """Remember ``target`` for ``key`` unless one is known already."""
        data = target.encode("utf-8", "surrogateescape")
        if len(data) <= 0xFFFF and self._slots.add(key, len(self._arena) << 16 | len(data)):
            self._arena += data

    def get(self, key: tuple[str, str]) -> str | None:
        """The target remembered for ``key``."""
        packed = self._slots.get(key)
        if packed is None:
            return None
        start = packed >> 16
        return self._arena[start : start + (packed & 0xFFFF)].decode("utf-8", "surrogateescape")


def is_revoke_stub(msg: dict[str, Any]) -> bool:
    """True for the store's re-keyed revoke tombstone: no content, stub type REVOKE."""
    return msg.get("message") is None and msg.get("messageStubType") in (1, "1", "REVOKE")


def revoke_target(msg: dict[str, Any]) -> str | None:
    """The target of a REVOKE protocolMessage (type 0/'REVOKE' or absent), else None.

    The target id, followed by a newline and the revoked message's sender when the key
    names one who is not the revoker (a group admin deleting someone else's message):
    the store re-keyed the stub with the revoker's whole key, sender included.
    """
    content = msg.get("message")
    if not isinstance(content, dict):
        return None
    inner = content.get("ephemeralMessage")
    if isinstance(inner, dict) and isinstance(inner.get("message"), dict):
        content = inner["message"]
    proto = content.get("protocolMessage")
    if not isinstance(proto, dict) or proto.get("type", 0) not in (0, "0", "REVOKE"):
        return None
    key = proto.get("key")
    if not isinstance(key, dict):
        return None
    target, author = key.get("id"), key.get("participant")
    if not isinstance(target, str) or not target:
        return None
    if not key.get("fromMe") and isinstance(author, str) and author:
        return f"{target}\n{author}"
    return target


def _pair_key(msg: dict[str, Any]) -> tuple[str, str] | None:
    key = msg.get("key")
    if not isinstance(key, dict):
        return None
    chat, msg_id = key.get("remoteJid"), key.get("id")
    if isinstance(chat, str) and isinstance(msg_id, str):
        return canonical_jid(chat), msg_id
    return None


class RevokePairs:
    """Pairs revoke stubs with their REVOKE protocolMessage so the tombstone gets the real id.

    The store re-keys a revoked message to the revoker's message id (baileys.md §4.5
    rule 2); the stub is held back until its partner is seen or the file ends.
    """

    def __init__(self) -> None:
        self._targets = TargetIds()
        self._stubs: dict[tuple[str, str], list[tuple[dict[str, Any], bytes]]] = {}
        self.paired = 0  # revoked messages whose stub got its real id back

    def see(self, msg: dict[str, Any], raw: bytes) -> bool:
        """Note one message of the file; True if it is a revoke stub, held back (``hold``).

        Called for every message: the common one, neither a stub nor a protocol or
        ephemeral message, costs two dict look-ups.
        """
        content = msg.get("message")
        if content is None:
            return self.hold(msg, raw)
        if content.__class__ is dict and (
            "protocolMessage" in content or "ephemeralMessage" in content
        ):
            self.note_protocol(msg)
        return False

    def hold(self, msg: dict[str, Any], raw: bytes) -> bool:
        """Keep a revoke stub back until the end of the file; False if ``msg`` is not one."""
        if not is_revoke_stub(msg):
            return False
        key = _pair_key(msg)
        if key is None:
            return False
        self._stubs.setdefault(key, []).append((msg, raw))
        return True

    def note_protocol(self, msg: dict[str, Any]) -> None:
        """Remember the target of a REVOKE protocolMessage under its own (shared) id."""
        target = revoke_target(msg)
        key = _pair_key(msg) if target else None
        if key is not None and target is not None:
            self._targets.setdefault(key, target)

    def release(self) -> list[tuple[dict[str, Any], bytes, bool]]:
        """Every held stub with a paired flag, re-keyed to the revoked message where paired."""
        out: list[tuple[dict[str, Any], bytes, bool]] = []
        for key, stubs in self._stubs.items():
            target = self._targets.get(key)
            target_id, _, author = (target or "").partition("\n")
            if not target_id or target_id == key[1]:
                out.extend((msg, raw, False) for msg, raw in stubs)
                continue
            self.paired += 1
            sender = {"fromMe": False, "participant": author} if author else {}
            out.extend(
                ({**msg, "key": {**msg["key"], "id": target_id, **sender}}, raw, True)
                for msg, raw in stubs
            )
        self._stubs.clear()
        return out
