"""Polls: option hashes, vote decryption (WhatsApp's public scheme) and vote records."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wa_archive.records import OWN, MessageRecord, PollVoteRecord

_ZERO_KEY = bytes(32)


def option_hash(name: str) -> bytes:
    """The SHA-256 of an option name: what a vote carries instead of the name."""
    return hashlib.sha256(name.encode()).digest()


def vote_key(secret: bytes, poll_id: str, creator_jid: str, voter_jid: str) -> bytes:
    """The AES-256 key of one voter's votes on one poll (two HMAC-SHA256 steps)."""
    key0 = hmac.new(_ZERO_KEY, secret, hashlib.sha256).digest()
    sign = f"{poll_id}{creator_jid}{voter_jid}Poll Vote".encode() + b"\x01"
    return hmac.new(key0, sign, hashlib.sha256).digest()


def vote_aad(poll_id: str, voter_jid: str) -> bytes:
    """The GCM additional data binding a vote to its poll and voter."""
    return f"{poll_id}\x00{voter_jid}".encode()


def decrypt_poll_vote(
    secret: bytes,
    poll_id: str,
    creator_jid: str,
    voter_jid: str,
    enc_payload: bytes,
    enc_iv: bytes,
) -> tuple[bytes, ...] | None:
    """The selected option hashes of an encrypted vote, or None if it does not decrypt."""
    key = vote_key(secret, poll_id, creator_jid, voter_jid)
    try:
        plain = AESGCM(key).decrypt(enc_iv, enc_payload, vote_aad(poll_id, voter_jid))
    except (InvalidTag, ValueError):
        return None
    return parse_vote(plain)


def encrypt_poll_vote(
    secret: bytes,
    poll_id: str,
    creator_jid: str,
    voter_jid: str,
    selected: Iterable[bytes],
    iv: bytes,
) -> bytes:
    """Encrypt a vote the way a client does (for tests and fixtures)."""
    key = vote_key(secret, poll_id, creator_jid, voter_jid)
    return AESGCM(key).encrypt(iv, serialize_vote(selected), vote_aad(poll_id, voter_jid))


def serialize_vote(selected: Iterable[bytes]) -> bytes:
    """A ``PollVoteMessage{selectedOptions: [bytes]}`` in protobuf wire format."""
    out = bytearray()
    for item in selected:
        out += b"\x0a" + _varint(len(item)) + item
    return bytes(out)


def parse_vote(data: bytes) -> tuple[bytes, ...] | None:
    """The ``selectedOptions`` of a ``PollVoteMessage``; None when the bytes are not one."""
    found: list[bytes] = []
    pos = 0
    try:
        while pos < len(data):
            tag, pos = _read_varint(data, pos)
            wire = tag & 7
            if wire == 2:
                size, pos = _read_varint(data, pos)
                if pos + size > len(data):
                    return None
                if tag >> 3 == 1:
                    found.append(data[pos : pos + size])
                pos += size
            elif wire == 0:
                _, pos = _read_varint(data, pos)
            else:
                return None
    except IndexError:
        return None
    return tuple(found)


def _varint(value: int) -> bytes:
    """Protobuf varint encoding."""
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Read one varint at ``pos``; returns (value, next position)."""
    shift = result = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def option_names(hashes: Sequence[bytes], options: Sequence[str]) -> tuple[str, ...] | None:
    """Option names for selected hashes when every hash matches a known option."""
    by_hash = {option_hash(name): name for name in options}
    names = [by_hash.get(h) for h in hashes]
    return tuple(n for n in names if n is not None) if all(names) else None


def poll_options(message: MessageRecord) -> list[str]:
    """The option names stored on a poll-creation message record."""
    poll = (message.attrs or {}).get("poll") or {}
    options = poll.get("options") if isinstance(poll, dict) else None
    return [o for o in options if isinstance(o, str)] if isinstance(options, list) else []


def resolve_vote(vote: PollVoteRecord, poll: MessageRecord) -> PollVoteRecord:
    """Decrypt (when possible) and name a vote using its poll's record from the same batch."""
    hashes: tuple[bytes, ...] | None = tuple(bytes.fromhex(h) for h in vote.option_hashes)
    if not hashes and vote.enc_payload and vote.enc_iv and poll.message_secret:
        if OWN in (poll.sender, vote.voter):
            return vote  # the own jid is not known at decode time; the writer can retry later
        hashes = decrypt_poll_vote(
            poll.message_secret,
            vote.poll_id,
            poll.sender,
            vote.voter,
            vote.enc_payload,
            vote.enc_iv,
        )
        if hashes is None:
            return vote
    names = option_names(hashes or (), poll_options(poll))
    return PollVoteRecord(
        chat=vote.chat,
        poll_id=vote.poll_id,
        voter=vote.voter,
        timestamp=vote.timestamp,
        options=names,
        option_hashes=tuple(h.hex() for h in hashes or ()),
        enc_payload=vote.enc_payload,
        enc_iv=vote.enc_iv,
    )
