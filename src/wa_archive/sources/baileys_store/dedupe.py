"""Duplicate bookkeeping for one store file: seen message identities and the revoke-pair quirk.

Memory bound: these are the only structures that grow with the file. ``SeenSet``
keeps one 64-bit fingerprint per distinct message in an open-addressing table kept
between 35% and 70% full, i.e. 11–23 bytes per message (1M messages ≈ 16 MB, 10M ≈
160 MB; while it doubles, the old half is held too), instead of ~70 bytes per entry for
a Python set of ints. ``RevokePairs`` keeps the target of each REVOKE protocolMessage
packed the same way (fingerprint + offset into one byte arena: ~25–70 bytes per revoke
instead of ~300 for a dict of strings) and the revoke stubs of the file (one per
revoked message) until the end of the file.
"""

from __future__ import annotations

from array import array
from typing import Any

from wa_archive.jids import canonical_jid

_MASK = (1 << 64) - 1


def fingerprint(value: object) -> int:
    """A non-zero 64-bit fingerprint of a hashable value (stable within one process)."""
    return (hash(value) & _MASK) or 1


class SeenSet:
    """A compact set of 64-bit fingerprints, optionally with one 64-bit value each."""

    def __init__(self, capacity: int = 1 << 16, *, values: bool = False) -> None:
        self._table = array("Q", bytes(8 * capacity))
        self._values = array("Q", bytes(8 * capacity)) if values else None
        self._mask = capacity - 1
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def nbytes(self) -> int:
        """Bytes held by the table."""
        return len(self._table) * (16 if self._values is not None else 8)

    def _slot(self, fp: int) -> int:
        """The slot holding ``fp``, or the empty slot where it would go."""
        table, mask = self._table, self._mask
        slot = fp & mask
        while True:
            held = table[slot]
            if held == fp or held == 0:
                return slot
            slot = (slot + 1) & mask

    def add(self, identity: object, value: int = 0) -> bool:
        """Add one identity (with ``value``); True if it was new, False if seen before."""
        fp = (hash(identity) & _MASK) or 1  # fingerprint() and _slot(), inlined: once per message
        table, mask = self._table, self._mask
        slot = fp & mask
        held = table[slot]
        while held:
            if held == fp:
                return False
            slot = (slot + 1) & mask
            held = table[slot]
        table[slot] = fp
        if self._values is not None:
            self._values[slot] = value
        self._count += 1
        if self._count * 10 > len(self._table) * 7:
            self._grow()
        return True

    def get(self, identity: object) -> int | None:
        """The value stored with ``identity``, or None if it was never added."""
        slot = self._slot(fingerprint(identity))
        if self._values is None or not self._table[slot]:
            return None
        return self._values[slot]

    def _grow(self) -> None:
        """Double the table and re-insert every fingerprint (and value)."""
        old, old_values = self._table, self._values
        size = 2 * len(old)
        self._table = table = array("Q", bytes(8 * size))
        self._mask = mask = size - 1
        if old_values is None:
            for fp in filter(None, old):  # the empty slots are skipped in C
                slot = fp & mask
                while table[slot]:
                    slot = (slot + 1) & mask
                table[slot] = fp
            return
        self._values = values = array("Q", bytes(8 * size))
        for fp, value in zip(old, old_values, strict=True):
            if fp:
                slot = fp & mask
                while table[slot]:
                    slot = (slot + 1) & mask
                table[slot] = fp
                values[slot] = value


class TargetIds:
    """(chat, id) → revoke target id, in ~24–32 bytes plus the target's UTF-8 per entry."""

    def __init__(self) -> None:
        self._slots = SeenSet(1 << 10, values=True)
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
    """The target id of a REVOKE protocolMessage (type 0/'REVOKE' or absent), else None."""
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
    target = key.get("id") if isinstance(key, dict) else None
    return target if isinstance(target, str) and target else None


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
        """Every held stub with a paired flag, re-keyed to its real id where it is paired."""
        out: list[tuple[dict[str, Any], bytes, bool]] = []
        for key, stubs in self._stubs.items():
            target = self._targets.get(key)
            if target is None or target == key[1]:
                out.extend((msg, raw, False) for msg, raw in stubs)
                continue
            self.paired += 1
            out.extend(
                ({**msg, "key": {**msg["key"], "id": target}}, raw, True) for msg, raw in stubs
            )
        self._stubs.clear()
        return out
