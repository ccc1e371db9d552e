"""Media metadata of image/video/ptv/audio/document/sticker content → ``MediaRecord``."""

from __future__ import annotations

import msgspec

from wa_archive.decode.values import seconds_to_ms
from wa_archive.decode.view import BOOL, BYTES, INT, NUM, STR, Spec, View
from wa_archive.records import MediaRecord

MEDIA_KINDS: dict[str, str] = {
    "imageMessage": "image",
    "videoMessage": "video",
    "ptvMessage": "ptv",
    "audioMessage": "audio",
    "documentMessage": "document",
    "stickerMessage": "sticker",
}


_MEDIA = Spec(
    ("ptt", BOOL),
    ("mimetype", STR),
    ("fileLength", INT),
    ("fileSha256", BYTES),
    ("fileEncSha256", BYTES),
    ("mediaKey", BYTES),
    ("mediaKeyTimestamp", NUM),
    ("directPath", STR),
    ("url", STR),
    ("width", INT),
    ("height", INT),
    ("seconds", INT),
    ("pageCount", INT),
    ("fileName", STR),
    ("jpegThumbnail", BYTES),
    ("pngThumbnail", BYTES),
)


def media_record(
    body: View, ctype: str, chat: str, sender: str, message_id: str, richness: int
) -> MediaRecord:
    """Everything needed to fetch, decrypt and show one media attachment."""
    (ptt, mimetype, size, sha256, enc_sha256, media_key, key_ts, direct_path, url) = (
        fields := body.read(_MEDIA)
    )[:9]
    width, height, seconds, pages, file_name, jpeg, png = fields[9:]
    kind = MEDIA_KINDS[ctype]
    if kind == "audio" and ptt:
        kind = "voice"
    record = MediaRecord(  # at most 15 keywords: msgspec is ~4x slower beyond that
        chat=chat,
        sender=sender,
        message_id=message_id,
        kind=kind,
        mimetype=mimetype,
        size=size,
        sha256=sha256,
        enc_sha256=enc_sha256,
        media_key=media_key,
        media_key_timestamp=seconds_to_ms(key_ts),
        direct_path=direct_path,
        url=url,
        thumbnail=jpeg or png,
        richness=richness,
    )
    if width is not None or height is not None or seconds is not None:
        record = msgspec.structs.replace(record, width=width, height=height, duration=seconds)
    if pages is not None or file_name is not None:
        record = msgspec.structs.replace(record, page_count=pages, file_name=file_name)
    return record
