"""Content type and unwrapping: which field of a ``Message`` is the content, under any wrappers."""

from __future__ import annotations

from wa_archive.decode.view import View

EPHEMERAL = 1
VIEW_ONCE = 2
EDITED = 4

MAX_DEPTH = 8
"""Nested wrappers followed at most (Baileys stops at 5; real traffic nests 2-3)."""

# Baileys' normalizeMessageContent order first, then the newer FutureProof wrappers.
_WRAPPERS = (
    "deviceSentMessage",
    "ephemeralMessage",
    "viewOnceMessage",
    "documentWithCaptionMessage",
    "viewOnceMessageV2",
    "viewOnceMessageV2Extension",
    "editedMessage",
    "associatedChildMessage",
    "groupStatusMessage",
    "groupStatusMessageV2",
    "botInvokeMessage",
    "lottieStickerMessage",
    "groupMentionedMessage",
    "statusMentionMessage",
    "groupStatusMentionMessage",
    "pollCreationMessageV4",
    "limitSharingMessage",
    "botTaskMessage",
    "botForwardedMessage",
    "questionMessage",
    "questionReplyMessage",
    "spoilerMessage",
    "newsletterScheduledMessage",
    "audioStickerMessage",
)
WRAPPER_PRIORITY: dict[str, int] = {name: i for i, name in enumerate(_WRAPPERS)}
_WRAPPER_FLAGS = {
    "ephemeralMessage": EPHEMERAL,
    "viewOnceMessage": VIEW_ONCE,
    "viewOnceMessageV2": VIEW_ONCE,
    "viewOnceMessageV2Extension": VIEW_ONCE,
    "editedMessage": EDITED,
}
# Never content: key distribution (Baileys skips only the first; both are transport noise).
_NOT_CONTENT = frozenset(
    {
        "senderKeyDistributionMessage",
        "fastRatchetKeySenderKeyDistributionMessage",
        "messageContextInfo",
    }
)


_NOT_PLAIN = frozenset(WRAPPER_PRIORITY) | _NOT_CONTENT  # a lone key that unwrap must inspect


Unwrapped = tuple[View | None, str | None, int, bytes | None]
"""A message's innermost content: ``(view, content type, wrapper flags, message secret)``
(a plain tuple: a NamedTuple costs ~0.3 µs to build)."""


def content_type(keys: list[str]) -> str | None:
    """Baileys' getContentType over ordered keys: first 'conversation' or '*Message*' key."""
    for key in keys:
        if key == "conversation" or ("Message" in key and key not in _NOT_CONTENT):
            return key
    return None


def unwrap(message: View | None) -> Unwrapped:
    """Follow wrappers (highest priority first) down to the content; record flags and secret."""
    flags = 0
    secret = None
    for _ in range(MAX_DEPTH):
        if message is None:
            return (None, None, flags, secret)
        keys = message.keys()
        if len(keys) == 1 and keys[0] not in _NOT_PLAIN:  # the common case: bare content
            key = keys[0]
            plain = key == "conversation" or "Message" in key
            return (message, key if plain else None, flags, secret)
        wrapper = None
        best = len(_WRAPPERS)
        for key in keys:
            if key == "messageContextInfo" and secret is None:
                ctx = message.child(key)
                secret = ctx.get_bytes("messageSecret") if ctx is not None else None
            rank = WRAPPER_PRIORITY.get(key)
            if rank is not None and rank < best:
                wrapper, best = key, rank
        if wrapper is None:
            return (message, content_type(keys), flags, secret)
        inner = message.child(wrapper)
        inner = inner.child("message") if inner is not None else None
        if inner is None:
            return (message, wrapper, flags, secret)
        flags |= _WRAPPER_FLAGS.get(wrapper, 0)
        message = inner
    return (message, content_type(message.keys()) if message else None, flags, secret)
