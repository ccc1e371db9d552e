"""A reproducible stream of genuine neonize events: history chunks plus live traffic."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

from neonize.events import EVENT_TO_INT
from neonize.proto.waCommon import WACommon_pb2 as C
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as E

from wa_archive.sources import fake_events as fe

FRAME = struct.Struct(">BI")
BASE_S = 1_650_000_000


def chats(n: int = 40) -> list[str]:
    """Chat JIDs used by the stream."""
    return [f"1555{i:07d}@s.whatsapp.net" for i in range(n)]


def history_chunk(order: int, size: int, rng: random.Random) -> Any:
    """One HistorySync event of ``size`` text messages spread over the chats."""
    per_chat: dict[str, list[Any]] = {}
    for i in range(size):
        chat = rng.choice(chats())
        wmi = fe.web_message_info(
            E.Message(conversation=f"history {order}-{i} " + "x" * rng.randint(0, 80)),
            id=f"H{order:03d}{i:05d}", chat=chat, from_me=i % 3 == 0,
            timestamp_s=BASE_S + order * size + i,
        )  # fmt: skip
        per_chat.setdefault(chat, []).append(wmi)
    convs = [fe.conversation(c, msgs) for c, msgs in sorted(per_chat.items())]
    return fe.history_sync_event(fe.history_sync(convs, sync_type=2, chunk_order=order,
                                                 progress=min(100, order)))  # fmt: skip


def live_event(i: int, rng: random.Random) -> Any:
    """One live event: mostly texts, with receipts, reactions, edits and revokes of them."""
    chat = rng.choice(chats())
    ms = (BASE_S + 10_000_000 + i) * 1000
    kind = i % 10
    target = f"L{max(0, i - rng.randint(1, 9)):06d}"
    if kind == 7:
        return fe.receipt_event(chat, chat, [target], timestamp_ms=ms)
    if kind == 8:
        key = C.MessageKey(remoteJID=chat, fromMe=False, ID=target)
        content = E.Message(reactionMessage=E.ReactionMessage(key=key, text="👍",
                                                              senderTimestampMS=ms))  # fmt: skip
        return fe.message_event(content, id=f"X{i:06d}", chat=chat, sender=chat, timestamp_ms=ms)
    if kind == 9:
        key = C.MessageKey(remoteJID=chat, fromMe=True, ID=target)
        proto = E.ProtocolMessage(key=key, type=E.ProtocolMessage.REVOKE)
        return fe.message_event(E.Message(protocolMessage=proto), id=f"X{i:06d}", chat=chat,
                                sender=chat, from_me=True, timestamp_ms=ms)  # fmt: skip
    return fe.text_message_event(f"live {i}", id=f"L{i:06d}", chat=chat, sender=chat,
                                 timestamp_ms=ms)  # fmt: skip


def write_stream(path: Path, chunks: int, chunk_size: int, live: int, seed: int = 5) -> int:
    """Write history chunks then live events (interleaved) to ``path``; return the event count."""
    rng = random.Random(seed)
    events: list[Any] = [history_chunk(o, chunk_size, rng) for o in range(1, chunks + 1)]
    step = max(1, live // max(1, chunks))
    out: list[Any] = []
    for i in range(live):
        if i % step == 0 and events:
            out.append(events.pop(0))
        out.append(live_event(i, rng))
    out.extend(events)
    with open(path, "wb") as f:
        for ev in out:
            data = ev.SerializeToString()
            f.write(FRAME.pack(EVENT_TO_INT[type(ev)], len(data)) + data)
    return len(out)
