"""Parsed export messages to records: stable ids, senders, timestamps and attached media.

An export carries no message ids, so each message gets
``"EX" + sha256(chat, local day, local time, sender name, ordinal)[:30]`` (upper-case hex),
the ordinal counting earlier messages of the same sender at the same local time.
Re-importing the same export therefore yields the same ids, whatever ``--tz`` says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from wa_archive.media_store import MediaStore
from wa_archive.records import OWN, EditRecord, MediaRecord, MessageRecord, Record, RevokeRecord

from .attachments import Attachment, content_type_of, find_attachment, mimetype_of
from .counts import ExportCounts
from .files import READ_ERRORS, ExportFile
from .markers import is_deleted_notice, is_waiting_notice, strip_edited
from .names import person_jid
from .parse import ParsedMessage, is_notice_text
from .plan import ChatPlan

SOURCE = "chat-export"
RAW_FORMAT = "export"
RICH_CONTENT = 2
RICH_PARTIAL = 1
"""A system line, or a message whose original text the export lacks (edited, deleted):
a copy of the same message from an older export, made before the edit or the deletion,
is richer and gives the archive its original text."""
RICH_WAITING = 0
"""A message the phone had not decrypted ("Waiting for this message"): a later export
that holds it fills it in."""
_DAY_MS = 86_400_000
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass
class Converter:
    """Turns parsed messages of one export into message and media records."""

    plan: ChatPlan
    export: ExportFile
    counts: ExportCounts
    zone: ZoneInfo | None = None
    media_store: MediaStore | None = None
    edit_labels: frozenset[str] = frozenset()
    _ordinals: dict[tuple[int, int, str], int] = field(default_factory=dict)

    def convert(self, parsed: ParsedMessage) -> list[Record]:
        """The records of one parsed message: the message, then its media, edit or revoke."""
        system = parsed.sender is None or (
            parsed.sender in self.plan.notice_names
            and is_notice_text(parsed.text, self.export.members)
        )
        sender_name = "" if system else (parsed.sender or "")
        msg_id = self._message_id(parsed.day, parsed.clock, sender_name)
        sender = self.plan.jid if system else self._sender_jid(sender_name)
        edited = None if system else strip_edited(parsed.text, self.edit_labels)
        body = parsed.text if edited is None else edited
        deleted = not system and is_deleted_notice(body)
        waiting = not system and not deleted and is_waiting_notice(body)
        stub = "REVOKE" if deleted else "CIPHERTEXT" if waiting else None
        attachment = None if system or stub else find_attachment(body, self.export.members)
        text = body.strip("\u200e\u200f") if attachment is None else attachment.caption
        message = MessageRecord(
            chat=self.plan.jid,
            sender=sender,
            id=msg_id,
            from_me=sender == OWN,
            timestamp=self._timestamp(parsed.day, parsed.clock),
            content_type=None if system or stub else _content_type(attachment),
            text=text if text and not stub and edited is None else None,
            is_system=system or stub is not None,
            stub_type=stub,
            raw=parsed.raw.encode("utf-8", "surrogatepass"),
            raw_format=RAW_FORMAT,
            source=SOURCE,
            richness=_richness(system, stub, edited is not None),
        )
        self.counts.count_message(system)
        records: list[Record] = [message]
        if waiting:
            self.counts.waiting += 1
        elif deleted:
            self.counts.deleted += 1
            records.append(_deletion(message))
        elif edited is not None:
            self.counts.edited += 1
            records.append(_edit(message, text or None))
        if attachment is None:
            return records
        if attachment.file_name is None:
            self.counts.media_omitted += 1
            return records
        records.append(self._media(message, attachment))
        return records

    def _sender_jid(self, name: str) -> str:
        """The JID of a sender name (known from the scan, or derived now)."""
        return self.plan.senders.get(name) or person_jid(name)

    def _message_id(self, day: int, clock: int, sender: str) -> str:
        """The stable id of the next message of ``sender`` at this local day and time."""
        key = (day, clock, sender)
        ordinal = self._ordinals.get(key, 0)
        self._ordinals[key] = ordinal + 1
        seed = f"{self.plan.jid}\x1f{day}\x1f{clock}\x1f{sender}\x1f{ordinal}"
        return "EX" + hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()[:30].upper()

    def _timestamp(self, day: int, clock: int) -> int:
        """UTC milliseconds of a local day and time (the local time taken as UTC without a zone)."""
        local_ms = day * _DAY_MS + clock
        if self.zone is None:
            return local_ms
        naive = _EPOCH + dt.timedelta(milliseconds=local_ms)
        return int(naive.replace(tzinfo=self.zone).timestamp() * 1000)

    def _media(self, message: MessageRecord, attachment: Attachment) -> MediaRecord:
        """The media record of an attachment, storing the zip's file when there is a store."""
        name = attachment.file_name
        sha, size, local = self._store(name) if name else (None, None, None)
        self.counts.media += 1
        return MediaRecord(
            chat=message.chat,
            sender=message.sender,
            message_id=message.id,
            kind=attachment.kind,
            mimetype=mimetype_of(name) if name else None,
            size=size,
            sha256=sha,
            file_name=name,
            local_path=local,
        )

    def _store(self, name: str) -> tuple[bytes | None, int | None, str | None]:
        """(sha256, size, store path) of an attached file of the zip; Nones when absent."""
        info = self.export.members.get(name)
        if info is None:
            if self.export.is_zip:
                self.counts.media_missing += 1
            return None, None, None
        if self.media_store is None:
            return None, info.file_size, None
        try:
            stream = self.export.open_member(name)
            assert stream is not None
            with stream:
                digest, relative = self.media_store.put(stream)
        except READ_ERRORS:
            self.counts.skipped["attached file unreadable in the zip"] += 1
            return None, info.file_size, None
        self.counts.media_stored += 1
        return bytes.fromhex(digest), info.file_size, relative


def _content_type(attachment: Attachment | None) -> str:
    """``conversation`` for text, else the attachment's media content type."""
    return "conversation" if attachment is None else content_type_of(attachment.kind)


def _edit(message: MessageRecord, text: str | None) -> EditRecord:
    """The edit an edited notice stands for: the text the export shows, at an unknown time.

    The message's own text stays unknown (None): the export holds only the edited one.
    """
    return EditRecord(
        chat=message.chat,
        target_id=message.id,
        editor=message.sender,
        edit_id=message.id,
        edited_at=None,
        text=text,
        content_type=message.content_type,
    )


def _deletion(message: MessageRecord) -> RevokeRecord:
    """The revoke a deleted notice stands for, by the message's sender at an unknown time."""
    return RevokeRecord(
        chat=message.chat,
        target_id=message.id,
        revoke_id=message.id,
        revoked_by=message.sender,
        revoked_at=None,
    )


def _richness(system: bool, stub: str | None, edited: bool) -> int:
    """How complete an export's copy of a message is (see ``RICH_*``)."""
    if stub == "CIPHERTEXT":
        return RICH_WAITING
    return RICH_PARTIAL if system or stub or edited else RICH_CONTENT
