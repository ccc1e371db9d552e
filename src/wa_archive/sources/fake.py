"""A synthetic archive: realistic chats and message mixes for tests, demos and benchmarks.

Deterministic for a given seed. Sizes follow what real archives look like: most chats are
1:1, a few busy groups; texts are short with a long tail; some media, replies, reactions,
edits and receipts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import orjson

from ..records import (
    OWN,
    Batch,
    ChatRecord,
    ContactRecord,
    EditRecord,
    MediaRecord,
    MessageRecord,
    ReactionRecord,
    ReceiptRecord,
)

_WORDS = (  # noqa: SIM905 - a sentence reads better than a 50-item list
    "ok yes no maybe tomorrow today tonight dinner lunch coffee meeting call later soon "
    "thanks great love haha photo video where when why how see you at home work office "
    "train bus car late early happy birthday congrats weekend monday friday plan trip"
).split()
START_MS = 1_546_300_800_000  # 2019-01-01


def _text(rng: random.Random) -> str:
    n = min(int(rng.expovariate(1 / 9)) + 1, 120)
    return " ".join(rng.choice(_WORDS) for _ in range(n))


class FakeArchive:
    """Generates batches of records for ``n_messages`` messages across 1:1 and group chats."""

    def __init__(self, n_messages: int, *, seed: int = 7, n_chats: int = 200) -> None:
        self.n = n_messages
        self.rng = random.Random(seed)
        self.people = [f"1555{i:07}@s.whatsapp.net" for i in range(n_chats * 2)]
        n_groups = max(1, n_chats // 10)
        self.chats = [f"12036304{i:010}@g.us" for i in range(n_groups)] + self.people[
            : n_chats - n_groups
        ]

    def batches(self, size: int = 5000) -> Iterator[Batch]:
        """Yield batches of about ``size`` messages with their side records."""
        batch = Batch()
        for chat in self.chats:
            batch.chats.append(ChatRecord(jid=chat, name=f"Chat {chat[:8]}"))
        for person in self.people:
            batch.contacts.append(ContactRecord(jid=person, push_name=f"P{person[4:11]}"))
        ts = START_MS
        for i in range(self.n):
            ts += self.rng.randint(1, 120) * 1000
            self._add(batch, i, ts)
            if len(batch.messages) >= size:
                yield batch
                batch = Batch()
        if batch.messages or batch.chats:
            yield batch

    def _add(self, batch: Batch, i: int, ts: int) -> None:
        rng = self.rng
        # A few busy chats carry most of the traffic.
        chat = self.chats[min(int(rng.paretovariate(1.2)) - 1, len(self.chats) - 1)]
        group = chat.endswith("@g.us")
        from_me = rng.random() < 0.35
        sender = OWN if from_me else (rng.choice(self.people) if group else chat)
        mid = f"3EB0{i:016X}"
        media = rng.random() < 0.12
        text = _text(rng)
        content_type = "imageMessage" if media else "conversation"
        payload = {"key": {"remoteJid": chat, "fromMe": from_me, "id": mid},
                   "messageTimestamp": str(ts // 1000),
                   "message": {"imageMessage": {"caption": text}} if media else {"conversation": text}}  # fmt: skip
        raw = orjson.dumps(payload)
        batch.messages.append(
            MessageRecord(
                chat=chat, sender=sender, id=mid, from_me=from_me, timestamp=ts,
                content_type=content_type, text=text, raw=raw, raw_format="json",
                source="fake", richness=20_000_000 + len(raw), status=4 if from_me else None,
                quoted_id=f"3EB0{i - 1:016X}" if i and rng.random() < 0.1 else None,
            )
        )  # fmt: skip
        if media:
            batch.media.append(
                MediaRecord(
                    chat=chat, sender=sender, message_id=mid, kind="image",
                    mimetype="image/jpeg", size=rng.randint(20_000, 3_000_000),
                    sha256=rng.randbytes(32), enc_sha256=rng.randbytes(32),
                    media_key=rng.randbytes(32), direct_path=f"/v/t62/{mid}", width=1280,
                    height=960, richness=20_000_000,
                )
            )  # fmt: skip
        if rng.random() < 0.05:
            batch.reactions.append(ReactionRecord(
                chat=chat, target_id=mid, reactor=OWN if not from_me else chat, emoji="👍",
                timestamp=ts + 5000))  # fmt: skip
        if rng.random() < 0.01:
            batch.edits.append(EditRecord(
                chat=chat, target_id=mid, editor=sender, edit_id=f"ED{i:016X}",
                edited_at=ts + 30_000, text=text + " (edited)"))  # fmt: skip
        if from_me and rng.random() < 0.3:
            batch.receipts.append(ReceiptRecord(
                chat=chat, message_id=mid, recipient=chat if not group else rng.choice(self.people),
                type="read", timestamp=ts + 60_000))  # fmt: skip
