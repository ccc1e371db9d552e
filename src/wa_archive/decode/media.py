"""Media metadata of image/video/ptv/audio/document/sticker content → ``MediaRecord``."""

from __future__ import annotations

from wa_archive.decode.values import seconds_to_ms
from wa_archive.decode.view import View
from wa_archive.records import MediaRecord

MEDIA_KINDS: dict[str, str] = {
    "imageMessage": "image",
    "videoMessage": "video",
    "ptvMessage": "ptv",
    "audioMessage": "audio",
    "documentMessage": "document",
    "stickerMessage": "sticker",
}


def media_record(
    body: View, ctype: str, chat: str, sender: str, message_id: str, richness: int
) -> MediaRecord:
    """Everything needed to fetch, decrypt and show one media attachment."""
    kind = MEDIA_KINDS[ctype]
    if kind == "audio" and body.get_bool("ptt"):
        kind = "voice"
    return MediaRecord(
        chat=chat,
        sender=sender,
        message_id=message_id,
        kind=kind,
        mimetype=body.get_str("mimetype"),
        size=body.get_int("fileLength"),
        sha256=body.get_bytes("fileSha256"),
        enc_sha256=body.get_bytes("fileEncSha256"),
        media_key=body.get_bytes("mediaKey"),
        media_key_timestamp=seconds_to_ms(body.get_int("mediaKeyTimestamp")),
        direct_path=body.get_str("directPath"),
        url=body.get_str("url"),
        width=body.get_int("width"),
        height=body.get_int("height"),
        duration=body.get_int("seconds"),
        page_count=body.get_int("pageCount"),
        file_name=body.get_str("fileName"),
        thumbnail=body.get_bytes("jpegThumbnail") or body.get_bytes("pngThumbnail"),
        richness=richness,
    )
