"""Decode + normalise: Baileys JSON and neonize protobufs → ``wa_archive.records``.

One implementation of message semantics (``message``, ``effects``, ``content``,
``text``, ``media``, ``stubs``) reads either wire shape through a view
(``view.JsonView`` for Baileys dicts, ``protobuf.PbView`` for neonize messages).
Every entry point appends to a ``Batch`` (``baileys_message_records`` returns a
message's records for the caller to place) and never raises on bad input: what it
cannot read becomes a ``Quarantined`` record.
"""

from __future__ import annotations

from wa_archive.decode.baileys import (
    baileys_message_records,
    decode_baileys_chat,
    decode_baileys_contact,
    decode_baileys_group_metadata,
    decode_baileys_label,
    decode_baileys_label_association,
    decode_baileys_message,
)
from wa_archive.decode.groups import (
    decode_contacts,
    decode_group_info,
    decode_group_infos,
    decode_joined_group,
)
from wa_archive.decode.history import HistorySyncInfo, decode_history_message, decode_history_sync
from wa_archive.decode.live import decode_live_message, decode_receipt, decode_undecryptable
from wa_archive.decode.poll import decrypt_poll_vote, option_hash

__all__ = [
    "HistorySyncInfo",
    "baileys_message_records",
    "decode_baileys_chat",
    "decode_baileys_contact",
    "decode_baileys_group_metadata",
    "decode_baileys_label",
    "decode_baileys_label_association",
    "decode_baileys_message",
    "decode_contacts",
    "decode_group_info",
    "decode_group_infos",
    "decode_history_message",
    "decode_history_sync",
    "decode_joined_group",
    "decode_live_message",
    "decode_receipt",
    "decode_undecryptable",
    "decrypt_poll_vote",
    "option_hash",
]
