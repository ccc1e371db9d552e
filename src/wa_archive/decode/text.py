"""The searchable text of every text-bearing content type, and the quoted-message snippet."""

from __future__ import annotations

from collections.abc import Callable

from wa_archive.decode.content import unwrap
from wa_archive.decode.view import View

QUOTE_SNIPPET = 300
"""Characters of a quoted message's text kept on the reply."""


def _join(*parts: str | None) -> str | None:
    """Non-empty parts joined by newlines, or None."""
    kept = [p for p in parts if p]
    return "\n".join(kept) if kept else None


def _field(name: str) -> Callable[[View], str | None]:
    """Text from one string field of the content."""
    return lambda body: body.get_str(name)


def _fields(*names: str) -> Callable[[View], str | None]:
    """Text from several string fields of the content, one line each."""
    return lambda body: _join(*(body.get_str(n) for n in names))


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


def _list_response(body: View) -> str | None:
    """The chosen row's title (and description)."""
    return _join(body.get_str("title"), body.get_str("description"))


_TEXT: dict[str, Callable[[View], str | None]] = {
    "extendedTextMessage": _field("text"),
    "imageMessage": _field("caption"),
    "videoMessage": _field("caption"),
    "ptvMessage": _field("caption"),
    "documentMessage": _field("caption"),
    "buttonsMessage": _fields("text", "contentText"),
    "buttonsResponseMessage": _field("selectedDisplayText"),
    "templateButtonReplyMessage": _field("selectedDisplayText"),
    "listMessage": _fields("title", "description"),
    "listResponseMessage": _list_response,
    "templateMessage": _template,
    "interactiveMessage": _interactive,
    "interactiveResponseMessage": _nested("body", "text"),
    "pollCreationMessage": _poll,
    "pollCreationMessageV2": _poll,
    "pollCreationMessageV3": _poll,
    "pollCreationMessageV5": _poll,
    "pollCreationMessageV6": _poll,
    "locationMessage": _fields("name", "address", "comment"),
    "liveLocationMessage": _field("caption"),
    "contactMessage": _field("displayName"),
    "contactsArrayMessage": _contacts,
    "eventMessage": _fields("name", "description"),
    "newsletterAdminInviteMessage": _fields("newsletterName", "caption"),
    "groupInviteMessage": _fields("groupName", "caption"),
    "productMessage": _nested("product", "title"),
    "requestPhoneNumberMessage": _field("text"),
    "commentMessage": _nested("message", "conversation"),
}


def text_of(message: View | None, ctype: str | None, body: View | None = None) -> str | None:
    """The text of already-unwrapped content of type ``ctype`` (``body``: its sub-message if read)."""
    if message is None or ctype is None:
        return None
    if ctype == "conversation":
        return message.get_str("conversation")
    reader = _TEXT.get(ctype)
    if reader is None:
        return None
    if body is None:
        body = message.child(ctype)
    return reader(body) if body is not None else None


def quoted_text(quoted: View | None) -> str | None:
    """A snippet of a quoted ``Message`` (unwrapped first)."""
    if quoted is None:
        return None
    inner = unwrap(quoted)
    text = text_of(inner.message, inner.content_type)
    return text[:QUOTE_SNIPPET] if text else None
