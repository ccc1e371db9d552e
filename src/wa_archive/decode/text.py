"""The searchable text of every text-bearing content type, and the quoted-message snippet."""

from __future__ import annotations

from collections.abc import Callable

from wa_archive.decode.content import unwrap
from wa_archive.decode.view import CHILD, STR, Spec, View

QUOTE_SNIPPET = 300
"""Characters of a quoted message's text kept on the reply."""


def _join(*parts: str | None) -> str | None:
    """Non-empty parts joined by newlines, or None."""
    kept = [p for p in parts if p]
    return "\n".join(kept) if kept else None


def _nested(child: str, name: str) -> Callable[[View], str | None]:
    """Text from a string field of a sub-message."""

    def read(body: View) -> str | None:
        sub = body.child(child)
        return sub.get_str(name) if sub is not None else None

    return read


def _poll(body: View) -> str | None:
    """The poll question followed by its options."""
    options = [o.get_str("optionName") for o in body.children("options")]
    return _join(body.get_str("name"), *options)


def _contacts(body: View) -> str | None:
    """A contact array's title and every card's display name."""
    names = [c.get_str("displayName") for c in body.children("contacts")]
    return _join(body.get_str("displayName"), *names)


def _template(body: View) -> str | None:
    """The body text of whichever template variant is present."""
    for variant in ("hydratedTemplate", "hydratedFourRowTemplate"):
        sub = body.child(variant)
        if sub is not None:
            return _join(sub.get_str("hydratedTitleText"), sub.get_str("hydratedContentText"))
    four = body.child("fourRowTemplate")
    content = four.child("content") if four is not None else None
    return content.get_str("namespace") if content is not None else None


def _interactive(body: View) -> str | None:
    """An interactive message's header title and body text."""
    header = body.child("header")
    return _join(
        header.get_str("title") if header is not None else None,
        _nested("body", "text")(body),
    )


# Content types whose text is string fields of the content, one line each.
_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "extendedTextMessage": ("text",),
    "imageMessage": ("caption",),
    "videoMessage": ("caption",),
    "ptvMessage": ("caption",),
    "documentMessage": ("caption",),
    "buttonsMessage": ("text", "contentText"),
    "buttonsResponseMessage": ("selectedDisplayText",),
    "templateButtonReplyMessage": ("selectedDisplayText",),
    "listMessage": ("title", "description"),
    "listResponseMessage": ("title", "description"),
    "locationMessage": ("name", "address", "comment"),
    "liveLocationMessage": ("caption",),
    "contactMessage": ("displayName",),
    "eventMessage": ("name", "description"),
    "newsletterAdminInviteMessage": ("newsletterName", "caption"),
    "groupInviteMessage": ("groupName", "caption"),
    "requestPhoneNumberMessage": ("text",),
}
# The rest: a reader of the content view.
_TEXT: dict[str, Callable[[View], str | None]] = {
    "templateMessage": _template,
    "interactiveMessage": _interactive,
    "interactiveResponseMessage": _nested("body", "text"),
    "pollCreationMessage": _poll,
    "pollCreationMessageV2": _poll,
    "pollCreationMessageV3": _poll,
    "pollCreationMessageV5": _poll,
    "pollCreationMessageV6": _poll,
    "contactsArrayMessage": _contacts,
    "productMessage": _nested("product", "title"),
    "commentMessage": _nested("message", "conversation"),
}


# Per content type: its text fields, and the same plus ``contextInfo`` (read in one call).
_SPECS = {ctype: Spec(*((n, STR) for n in names)) for ctype, names in _TEXT_FIELDS.items()}
_CTX_SPECS = {
    ctype: Spec(*((n, STR) for n in names), ("contextInfo", CHILD))
    for ctype, names in _TEXT_FIELDS.items()
}
_CONTEXT_ONLY = Spec(("contextInfo", CHILD))


def text_of(message: View | None, ctype: str | None, body: View | None = None) -> str | None:
    """The text of already-unwrapped content of type ``ctype`` (``body``: its sub-message if read)."""
    if message is None or ctype is None:
        return None
    if ctype == "conversation":
        return message.get_str("conversation")
    spec = _SPECS.get(ctype)
    reader = _TEXT.get(ctype) if spec is None else None
    if spec is None and reader is None:
        return None
    if body is None:
        body = message.child(ctype)
        if body is None:
            return None
    if spec is None:
        return reader(body)  # type: ignore[misc]
    parts = body.read(spec)
    return parts[0] if len(parts) == 1 else _join(*parts)


def text_and_context(body: View, ctype: str) -> tuple[str | None, View | None]:
    """``text_of`` a content sub-message (not ``conversation``) and its ``contextInfo``."""
    spec = _CTX_SPECS.get(ctype)
    if spec is None:
        reader = _TEXT.get(ctype)
        (ctx,) = body.read(_CONTEXT_ONLY)
        return (reader(body) if reader is not None else None), ctx
    values = body.read(spec)
    if len(values) == 2:  # one text field
        return values[0], values[1]
    return _join(*values[:-1]), values[-1]


def quoted_text(quoted: View | None) -> str | None:
    """A snippet of a quoted ``Message`` (unwrapped first)."""
    if quoted is None:
        return None
    inner, ctype, _, _ = unwrap(quoted)
    text = text_of(inner, ctype)
    return text[:QUOTE_SNIPPET] if text else None
