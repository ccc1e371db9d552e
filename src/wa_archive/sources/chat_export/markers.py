"""What an export writes in place of an edit's history or a deleted message's content.

* Edited: WhatsApp ends an edited message's last line with a bracketed notice, after a
  space or a U+200E mark: ``see you at 8 <This message was edited>``, in the exporting
  phone's language. Recognised by shape, a ``<label>`` of two or more words after other
  text, when the file ends two or more lines with that label or the label is a known
  translation (one edit in an unknown language stays part of the text).
* Deleted: a message whose whole text is ``This message was deleted`` or ``You deleted
  this message`` (Android; iOS adds a U+200E mark and a full stop). This is plain text,
  so only its known translations are recognised.
* Never received: ``Waiting for this message. This may take a while.`` stands for a
  message the phone could not decrypt when the chat was exported (an older phone says
  ``Check your phone.`` after it). Recognised by its first sentence, in the known
  languages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from .grammar import strip_marks

_EDITED = re.compile(
    r"(?<=\S)[ \u200e\u200f]+<(?P<label>[^<>:@/\n\d]{1,60}\s[^<>:@/\n\d]{1,60})>[\s\u200e\u200f]*\Z"
)
_KNOWN_EDITED = {
    "this message was edited",
    "diese nachricht wurde bearbeitet",
    "se editó este mensaje.",
    "este mensaje fue editado",
    "esta mensagem foi editada",
    "mensagem editada",
    "dit bericht is bewerkt",
    "ce message a été modifié",
    "questo messaggio è stato modificato",
    "это сообщение изменено",
    "ההודעה נערכה",
}
_DELETED = {
    # English
    "this message was deleted", "you deleted this message",
    # German
    "diese nachricht wurde gelöscht", "du hast diese nachricht gelöscht",
    # Spanish
    "se eliminó este mensaje", "este mensaje fue eliminado", "eliminaste este mensaje",
    # Portuguese
    "essa mensagem foi apagada", "esta mensagem foi apagada", "mensagem apagada",
    "você apagou esta mensagem", "apagou esta mensagem",
    # Dutch
    "dit bericht is verwijderd", "je hebt dit bericht verwijderd",
    # French, Italian
    "ce message a été supprimé", "vous avez supprimé ce message",
    "questo messaggio è stato eliminato", "hai eliminato questo messaggio",
    # Hebrew
    "הודעה זו נמחקה", "מחקת הודעה זו",
    # Hindi
    "यह मैसेज डिलीट कर दिया गया", "आपने यह मैसेज डिलीट किया",
    # Russian, Turkish, Indonesian, Arabic
    "это сообщение было удалено", "вы удалили это сообщение", "bu mesaj silindi",
    "bu mesajı sildiniz", "pesan ini telah dihapus", "anda telah menghapus pesan ini",
    "تم حذف هذه الرسالة", "لقد حذفت هذه الرسالة",
}  # fmt: skip

_WAITING = {
    "waiting for this message", "warten auf diese nachricht", "esperando el mensaje",
    "esperando este mensaje", "aguardando mensagem", "aguardando esta mensagem",
    "wachten op dit bericht", "en attente de ce message", "in attesa di questo messaggio",
    "ממתין להודעה זו", "इस मैसेज का इंतज़ार किया जा रहा है", "ожидание сообщения",
}  # fmt: skip


def edited_label(line: str) -> str | None:
    """The label of an edited notice ending ``line`` (the last line of a message), if any."""
    if not line.rstrip(" \u200e\u200f").endswith(">"):
        return None
    found = _EDITED.search(line)
    return found["label"].casefold() if found else None


def edit_labels(seen: Counter[str]) -> frozenset[str]:
    """The labels that mark an edit in this file: seen twice or more, or a known one."""
    return frozenset(label for label, n in seen.items() if n >= 2) | _KNOWN_EDITED


def strip_edited(text: str, labels: Collection[str]) -> str | None:
    """``text`` without its edited notice, or None when it does not end with one."""
    found = _EDITED.search(text) if text.rstrip(" \u200e\u200f").endswith(">") else None
    if found is None or found["label"].casefold() not in labels:
        return None
    return text[: found.start()]


def is_deleted_notice(text: str) -> bool:
    """True when a message's whole text is the notice of a deleted message."""
    if len(text) > 64:
        return False
    return strip_marks(text).rstrip(".").casefold() in _DELETED


def is_waiting_notice(text: str) -> bool:
    """True when a message's whole text is the notice of a message never decrypted."""
    if len(text) > 120:
        return False
    first, _, rest = strip_marks(text).partition(".")
    return first.strip().casefold() in _WAITING and len(rest) < 60 and "\n" not in rest
