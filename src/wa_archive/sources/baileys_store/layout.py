"""Walk every store-file layout seen in the wild and yield its items one at a time.

The top-level keys may come in any order; each section accepts each of its known
forms (baileys.md §4.5), detected from the first tokens of its value:

* ``chats``: an array, an object keyed by jid (``{}`` included), or absent;
  ``chats[].messages[]`` entries ``{message: WebMessageInfo}`` become embedded messages.
* ``messages[jid]``: an array, a serialised ordered dictionary ``{array, keyId}``,
  or an object keyed by message id.
* ``contacts``, ``labels``, ``labelAssociations``, ``groupMetadata``: an array or an
  object keyed by id. ``presences`` is skipped and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from wa_archive.sources.baileys_store.cursor import JsonCursor

STORE_KEYS = frozenset(
    {"chats", "contacts", "messages", "labels", "labelAssociations", "presences", "groupMetadata"}
)

_ENTITY_KINDS = {
    "contacts": "contact",
    "labels": "label",
    "labelAssociations": "label_association",
    "groupMetadata": "group_metadata",
}


class StoreItem(NamedTuple):
    """One object of a store file: its kind and parsed value (embedded: from ``chats[]``).

    Messages come as kind ``"messages"`` with a list of message objects as the value: the
    whole run parsed from one window at once, so the hot path passes each run, not each
    message, up through the walkers.
    """

    kind: str
    value: Any
    embedded: bool = False


@dataclass
class Layout:
    """What the walker found: the form of each section and what it skipped, with reasons."""

    sections: dict[str, str] = field(default_factory=dict)
    message_forms: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    presences: int = 0
    chat_lists: int = 0

    def describe(self) -> dict[str, str]:
        """The detected layout as section → form, for the report."""
        shown = dict(self.sections)
        if self.message_forms:
            shown["messages[jid]"] = "+".join(sorted(self.message_forms))
        return shown


Walker = Callable[[JsonCursor, Layout], Iterator[StoreItem]]


def walk_store(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    """Yield every item of the store object at the cursor, section by section."""
    for key in cursor.members():
        walker = _SECTIONS.get(key)
        if walker is None:
            layout.skipped[f"unknown top-level key {key!r}"] += cursor.skip()
            continue
        yield from walker(cursor, layout)


def _form(cursor: JsonCursor) -> str:
    """Name the container at the cursor: 'array', 'object' or 'scalar'."""
    char = cursor.peek()
    return {"[": "array", "{": "object"}.get(char, "scalar")


def _entries(cursor: JsonCursor, layout: Layout, section: str) -> Iterator[str]:
    """Walk an array or an id-keyed object, yielding a label per entry on its value."""
    form = _form(cursor)
    layout.sections[section] = form
    if form == "array":
        for index in cursor.elements():
            yield f"#{index}"
    elif form == "object":
        yield from cursor.members()
    else:
        layout.skipped[f"{section} is not an array or object"] += cursor.skip()


def _object(cursor: JsonCursor, layout: Layout, what: str) -> dict[str, Any] | None:
    """Parse the object at the cursor, or skip and count a non-object value."""
    if cursor.peek() != "{":
        layout.skipped[f"{what} entry that is not an object"] += cursor.skip()
        return None
    value = cursor.value()
    return value if isinstance(value, dict) else None


def _walk_chats(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    for _ in _entries(cursor, layout, "chats"):
        if cursor.peek() != "{":
            layout.skipped["chats entry that is not an object"] += cursor.skip()
            continue
        yield from _walk_chat(cursor, layout)
    if layout.sections.get("chats") == "object":
        layout.sections["chats"] = "object keyed by jid"


def _walk_chat(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    """One chat: its fields become a chat item, its embedded messages message items."""
    chat: dict[str, Any] = {}
    for key in cursor.members():
        if key == "messages" and cursor.peek() == "[":
            for _ in cursor.elements():
                yield from _walk_embedded(cursor, layout)
        else:
            chat[key] = cursor.value()
    yield StoreItem("chat", chat)


def _walk_embedded(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    """One ``{message: WebMessageInfo}`` wrapper of ``chats[].messages[]``."""
    if cursor.peek() != "{":
        layout.skipped["embedded chat message that is not an object"] += cursor.skip()
        return
    for key in cursor.members():
        if key == "message" and cursor.peek() == "{":
            value = cursor.value()
            yield StoreItem("messages", [value], embedded=True)
        else:
            cursor.skip()


def _walk_messages(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    form = _form(cursor)
    layout.sections["messages"] = form
    if form == "array":  # a flat list of messages, not keyed by chat
        layout.chat_lists += 1
        yield from _walk_message_array(cursor, layout, "flat array")
        return
    if form != "object":
        layout.skipped["messages is not an object"] += cursor.skip()
        return
    for _jid in cursor.members():
        layout.chat_lists += 1
        yield from _walk_chat_messages(cursor, layout)


def _walk_chat_messages(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    """``messages[jid]`` in any of its three forms."""
    form = _form(cursor)
    if form == "array":
        yield from _walk_message_array(cursor, layout, "array")
        return
    if form != "object":
        layout.skipped["messages[jid] that is not an array or object"] += cursor.skip()
        return
    for key in cursor.members():
        if key == "array" and cursor.peek() == "[":
            yield from _walk_message_array(cursor, layout, "ordered dictionary {array, keyId}")
        elif key == "keyId" or cursor.peek() != "{":
            cursor.skip()
        else:
            layout.message_forms["object keyed by message id"] += 1
            yield from _message(cursor, layout)


def _walk_message_array(cursor: JsonCursor, layout: Layout, form: str) -> Iterator[StoreItem]:
    layout.message_forms[form] += 1
    for _ in cursor.elements():  # the hot loop: one pass per window or message of the file
        if cursor.peek() != "{":
            layout.skipped["message that is not an object"] += cursor.skip()
            continue
        run = cursor.object_run()
        if run is None:
            yield StoreItem("messages", [cursor.value()])
            continue
        messages = [value for value in run if value.__class__ is dict]
        if len(messages) < len(run):
            for value in run:
                if value.__class__ is not dict:
                    layout.skipped["message that is not an object"] += _leaves(value)
        yield StoreItem("messages", messages)


def _leaves(value: Any) -> int:
    """How many leaf values ``value`` holds, as ``JsonCursor.skip`` counts them."""
    if isinstance(value, list):
        return sum(_leaves(v) for v in value)
    if isinstance(value, dict):
        return sum(_leaves(v) for v in value.values())
    return 1


def _message(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    if cursor.peek() != "{":
        layout.skipped["message that is not an object"] += cursor.skip()
        return
    yield StoreItem("messages", [cursor.value()])


def _walk_presences(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
    for _ in _entries(cursor, layout, "presences"):
        if cursor.peek() == "{":
            for _participant in cursor.members():
                cursor.skip()
                layout.presences += 1
        else:
            cursor.skip()
    return
    yield  # a generator that yields nothing


def _entity_walker(section: str) -> Walker:
    """A walker for a section whose entries are plain objects of one kind."""
    kind = _ENTITY_KINDS[section]

    def walk(cursor: JsonCursor, layout: Layout) -> Iterator[StoreItem]:
        for _ in _entries(cursor, layout, section):
            value = _object(cursor, layout, section)
            if value is not None:
                yield StoreItem(kind, value)

    return walk


_SECTIONS: dict[str, Walker] = {
    "chats": _walk_chats,
    "messages": _walk_messages,
    "presences": _walk_presences,
    **{section: _entity_walker(section) for section in _ENTITY_KINDS},
}
