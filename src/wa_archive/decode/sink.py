"""Moving decoded records into a ``Batch``, and quarantining input that could not be decoded."""

from __future__ import annotations

from wa_archive.records import (
    Batch,
    ChatRecord,
    ContactRecord,
    EditRecord,
    IdentityRecord,
    LabelLinkRecord,
    LabelRecord,
    MediaRecord,
    MessageRecord,
    ParticipantRecord,
    PollVoteRecord,
    Quarantined,
    ReactionRecord,
    ReceiptRecord,
    Record,
    RevokeRecord,
)

_FIELD_OF: dict[type, str] = {
    MessageRecord: "messages",
    MediaRecord: "media",
    EditRecord: "edits",
    RevokeRecord: "revokes",
    ReactionRecord: "reactions",
    ReceiptRecord: "receipts",
    PollVoteRecord: "poll_votes",
    ChatRecord: "chats",
    ContactRecord: "contacts",
    IdentityRecord: "identities",
    ParticipantRecord: "participants",
    LabelRecord: "labels",
    LabelLinkRecord: "label_links",
    Quarantined: "quarantined",
}


def flush(records: list[Record], batch: Batch) -> None:
    """Append records to the batch list of their type."""
    for rec in records:
        if rec.__class__ is MessageRecord:  # the common record: no lookups
            batch.messages.append(rec)
        else:
            getattr(batch, _FIELD_OF[type(rec)]).append(rec)


def quarantine(batch: Batch, error: BaseException, kind: str, payload: bytes) -> None:
    """Keep input that failed to decode, with the reason."""
    reason = f"{type(error).__name__}: {error}"[:500]
    batch.quarantined.append(Quarantined(reason=reason, kind=kind, payload=payload))
