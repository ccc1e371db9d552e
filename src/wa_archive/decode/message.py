"""The one implementation of message semantics, shared by Baileys JSON, history and live messages.

Callers build an ``Envelope`` (who, where, when, raw) from their wire shape and
hand over the content as a view; this module unwraps it and appends the
``MessageRecord`` plus every effect record (edit, revoke, reaction, vote, media,
chat setting, participant change) to a list of records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wa_archive.decode import effects, stubs
from wa_archive.decode.content import EDITED, EPHEMERAL, VIEW_ONCE, unwrap
from wa_archive.decode.media import MEDIA_KINDS, media_record
from wa_archive.decode.text import quoted_text, text_of
from wa_archive.decode.values import CONTENT, PLACEHOLDER, SYSTEM, richness
from wa_archive.decode.view import View
from wa_archive.jids import canonical_jid
from wa_archive.records import MessageRecord, Record


@dataclass(slots=True)
class Envelope:
    """Identity and metadata of one message, whatever wire shape it came in."""

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
    inner = unwrap(message)
    flags = inner.flags | env.wrapper_flags
    ctype = inner.content_type
    body = inner.message.child(ctype) if inner.message is not None and ctype else None
    attrs: dict[str, Any] = {}
    text = text_of(inner.message, ctype)
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
            attrs["edited_in_store"] = True
    rich = richness(level, env.raw)
    if ctype in MEDIA_KINDS and body is not None:
        out.append(media_record(body, ctype, env.chat, env.sender, env.id, rich))
    if flags & EPHEMERAL:
        attrs["ephemeral"] = True
    if flags & VIEW_ONCE:
        attrs["view_once"] = True
    record = _record(env, ctype, text, is_system, level, rich, body, attrs, inner.secret)
    out.append(record)
    return record


def _actor(env: Envelope) -> str | None:
    """Who performed a system action, as a display label."""
    if env.push_name:
        return env.push_name
    return None if env.from_me else stubs.display(env.sender)


def _record(
    env: Envelope,
    ctype: str | None,
    text: str | None,
    is_system: bool,
    level: int,
    rich: int,
    body: View | None,
    attrs: dict[str, Any],
    secret: bytes | None,
) -> MessageRecord:
    """Build the message record, reading reply/mention/forward data from the context info."""
    ctx = body.child("contextInfo") if body is not None else None
    quoted_id = quoted_sender = quoted = None
    mentions: tuple[str, ...] = ()
    forwarded, score = False, 0
    if ctx is not None:
        quoted_id = ctx.get_str("stanzaId")
        if quoted_id:
            quoted_sender = canonical_jid(ctx.get_str("participant")) or None
            quoted = quoted_text(ctx.child("quotedMessage"))
        mentions = tuple(canonical_jid(j) for j in ctx.get_strs("mentionedJid"))
        forwarded = ctx.get_bool("isForwarded")
        score = ctx.get_int("forwardingScore") or 0
    return MessageRecord(
        chat=env.chat,
        sender=env.sender,
        id=env.id,
        from_me=env.from_me,
        timestamp=env.timestamp,
        content_type=ctype,
        text=text,
        is_system=is_system,
        stub_type=env.stub,
        stub_params=env.stub_params,
        quoted_id=quoted_id,
        quoted_sender=quoted_sender,
        quoted_text=quoted,
        mentions=mentions,
        forwarded=forwarded,
        forwarding_score=score,
        status=env.status,
        push_name=env.push_name,
        message_secret=secret or env.secret,
        attrs=attrs or None,
        raw=env.raw,
        raw_format=env.raw_format,
        source=env.source,
        richness=rich,
        timestamp_suspect=env.suspect,
    )
