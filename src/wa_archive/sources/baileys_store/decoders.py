"""The decode functions the store reader routes objects to, replaceable in tests."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Protocol

from wa_archive.records import Batch, Record


class MessageDecoder(Protocol):
    """Decodes one WebMessageInfo dict into its records, for the reader to put into a batch
    (``batch`` holds the messages decoded before it); never raises."""

    def __call__(
        self, obj: dict[str, Any], batch: Batch, *, source: str = ..., raw: bytes | None = ...
    ) -> list[Record]: ...


class ObjectDecoder(Protocol):
    """Decodes one chat/contact/label/association/group-metadata dict into ``out``."""

    def __call__(self, obj: dict[str, Any], out: Batch) -> None: ...


@dataclass(frozen=True)
class Decoders:
    """One decode function per kind of store item."""

    message: MessageDecoder
    chat: ObjectDecoder
    contact: ObjectDecoder
    label: ObjectDecoder
    label_association: ObjectDecoder
    group_metadata: ObjectDecoder

    @classmethod
    def default(cls) -> Decoders:
        """The real decoders of ``wa_archive.decode``."""
        decode: Any = importlib.import_module("wa_archive.decode")
        return cls(
            message=decode.baileys_message_records,
            chat=decode.decode_baileys_chat,
            contact=decode.decode_baileys_contact,
            label=decode.decode_baileys_label,
            label_association=decode.decode_baileys_label_association,
            group_metadata=decode.decode_baileys_group_metadata,
        )

    def for_kind(self, kind: str) -> ObjectDecoder:
        """The decoder of a non-message item kind."""
        decoder: ObjectDecoder = getattr(self, kind)
        return decoder
