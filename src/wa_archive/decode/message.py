"""The one implementation of message semantics, shared by Baileys JSON, history and live messages.

Callers build an ``Envelope`` (who, where, when, raw) from their wire shape and
hand over the content as a view; this module unwraps it and appends the
``MessageRecord`` plus every effect record (edit, revoke, reaction, vote, media,
chat setting, participant change) to a list of records.
"""

from __future__ import annotations

from typing import Any

import msgspec

from wa_archive.decode import effects, stubs
from wa_archive.decode.content import EDITED, EPHEMERAL, VIEW_ONCE, unwrap
from wa_archive.decode.media import MEDIA_KINDS, media_record
from wa_archive.decode.text import quoted_text, text_and_context
from wa_archive.decode.values import CONTENT, PLACEHOLDER, SYSTEM
from wa_archive.decode.view import BOOL, CHILD, NUM, STR, STRS, Spec, View
from wa_archive.jids import canonical_jid
from wa_archive.records import MessageRecord, Record


class Envelope(msgspec.Struct, gc=False):
    """Identity and metadata of one message, whatever wire shape it came in (built per message:
    a C-level constructor, ~2x cheaper than a slots dataclass)."""

    chat: str
    sender: str
    id: str
    from_me: bool
    timestamp: int | None
    suspect: bool
    raw: bytes
    raw_format: str
    source: str
    status: int | None = None
    push_name: str | None = None
    stub: str | None = None
    stub_params: tuple[str, ...] = ()
    secret: bytes | None = None
    wrapper_flags: int = 0


def decode_content(env: Envelope, message: View | None, out: list[Record]) -> MessageRecord:
    """Append the message record and its effect records; returns the message record."""
    inner, ctype, flags, secret = unwrap(message)
    flags |= env.wrapper_flags
    if inner is not None and ctype and ctype != "conversation":
        body = inner.child(ctype)
        text, ctx = text_and_context(body, ctype) if body is not None else (None, None)
    else:
        body = ctx = None
        text = inner.get_str(ctype) if inner is not None and ctype else None  # conversation
    attrs: dict[str, Any] = {}
    is_system = False
    level = CONTENT if ctype else PLACEHOLDER
    if ctype is None and env.stub:
        is_system, level = True, (PLACEHOLDER if env.stub == "CIPHERTEXT" else SYSTEM)
        text = stubs.render(env.stub, list(env.stub_params), _actor(env))
        effects.stub_effects(env, out)
    elif body is not None:
        handler = effects.HANDLERS.get(ctype or "")
        if handler is not None:
            system_text = handler(env, body, attrs, out)
            if system_text is not None:
                is_system, text = True, system_text
        elif ctype and ctype.startswith("pollCreationMessage"):
            effects.poll_attrs(body, attrs)
        if flags & EDITED and ctype != "protocolMessage":
            # The store replaced the content and the send time by the edit's: any copy
            # holding the original (live capture, an older file) must win over this one.
            attrs["edited_in_store"] = True
            level = SYSTEM
    rich = level * 10_000_000 + min(len(env.raw), 9_999_999)  # values.richness, inlined
    if body is not None and ctype in MEDIA_KINDS:
        out.append(media_record(body, ctype, env.chat, env.sender, env.id, rich))
    if flags & EPHEMERAL:
        attrs["ephemeral"] = True
    if flags & VIEW_ONCE:
        attrs["view_once"] = True
    record = MessageRecord(  # at most 15 keywords: msgspec is ~4x slower beyond that
        chat=env.chat,
        sender=env.sender,
        id=env.id,
        from_me=env.from_me,
        timestamp=env.timestamp,
        content_type=ctype,
        text=text,
        status=env.status,
        push_name=env.push_name,
        message_secret=secret or env.secret,
        raw=env.raw,
        raw_format=env.raw_format,
        source=env.source,
        richness=rich,
    )
    if ctx is not None or is_system or attrs or env.suspect or env.stub or env.stub_params:
        record = _extras(record, env, ctx, is_system, attrs)
    out.append(record)
    return record


def _actor(env: Envelope) -> str | None:
    """Who performed a system action, as a display label."""
    if env.push_name:
        return env.push_name
    return None if env.from_me else stubs.display(env.sender)


_CONTEXT = Spec(
    ("stanzaId", STR),
    ("participant", STR),
    ("quotedMessage", CHILD),
    ("mentionedJid", STRS),
    ("isForwarded", BOOL),
    ("forwardingScore", NUM),
)


def _extras(
    record: MessageRecord, env: Envelope, ctx: View | None, is_system: bool, attrs: dict[str, Any]
) -> MessageRecord:
    """The less common fields: reply/mention/forward data from the context info, system, attrs."""
    extra: dict[str, Any] = {}
    if ctx is not None:
        quoted_id, participant, quoted, mentioned, forwarded, score = ctx.read(_CONTEXT)
        if quoted_id:
            extra.update(
                quoted_id=quoted_id,
                quoted_sender=canonical_jid(participant) or None,
                quoted_text=quoted_text(quoted),
            )
        if mentioned:
            extra["mentions"] = tuple(map(canonical_jid, mentioned))
        if forwarded:
            extra["forwarded"] = True
        if score:
            extra["forwarding_score"] = score
    if is_system:
        extra["is_system"] = True
    if env.stub:
        extra["stub_type"] = env.stub
    if env.stub_params:
        extra["stub_params"] = env.stub_params
    if attrs:
        extra["attrs"] = attrs
    if env.suspect:
        extra["timestamp_suspect"] = True
    return msgspec.structs.replace(record, **extra) if extra else record
