"""The neonize adapter: the only module of wa-archive's live capture that imports neonize.

It checks the platform first (so neonize never tries to download its library), builds clients
with the policy's device properties, turns wa-archive's callbacks into neonize handlers, and
wraps the few read-only client calls the capture needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from wa_archive.sources.live.platform import require_supported_platform

require_supported_platform()

# The gate above must run first: importing neonize elsewhere may download a library.
# neonize also calls logging.basicConfig(level=INFO) at import; a library must not take over
# the host's logging, so the root logger is put back as it was right after the imports.
_ROOT_LOGGING = (list(logging.getLogger().handlers), logging.getLogger().level)
from google.protobuf.message import Message  # noqa: E402
from neonize.client import ClientFactory, NewClient  # noqa: E402
from neonize.events import (  # noqa: E402
    EVENT_TO_INT,
    ChatPresenceEv,
    ClientOutdatedEv,
    ConnectedEv,
    ConnectFailureEv,
    DisconnectedEv,
    GroupInfoEv,
    HistorySyncEv,
    JoinedGroupEv,
    LoggedOutEv,
    MessageEv,
    OfflineSyncCompletedEv,
    OfflineSyncPreviewEv,
    PairStatusEv,
    PresenceEv,
    ReceiptEv,
    StreamReplacedEv,
    TemporaryBanEv,
    UndecryptableMessageEv,
)
from neonize.proto import Neonize_pb2  # noqa: E402
from neonize.proto.waCompanionReg.WAWebProtobufsCompanionReg_pb2 import DeviceProps  # noqa: E402
from neonize.utils.enum import ClientName, ClientType, MediaType  # noqa: E402
from neonize.utils.jid import Jid2String  # noqa: E402

logging.getLogger().handlers[:] = _ROOT_LOGGING[0]
logging.getLogger().setLevel(_ROOT_LOGGING[1])

from wa_archive.sources.live import policy  # noqa: E402
from wa_archive.sources.live.session import Session  # noqa: E402

log = logging.getLogger("wa_archive.sources.live")

JOURNALED: dict[type[Message], str] = {
    HistorySyncEv: "history_sync",
    MessageEv: "message",
    ReceiptEv: "receipt",
    UndecryptableMessageEv: "undecryptable",
    GroupInfoEv: "group_info",
    JoinedGroupEv: "joined_group",
}
"""Events whose raw bytes go to the journal first, by journal kind."""
EVENT_BY_KIND = {kind: cls for cls, kind in JOURNALED.items()}


class Control(Protocol):
    """What the runner does with connection-level events (all values already plain Python)."""

    def ingest(self, kind: str, event: Any) -> None: ...
    def connected(self) -> None: ...
    def disconnected(self) -> None: ...
    def offline_sync(self, done: bool, count: int) -> None: ...
    def paired(self, ok: bool, jid: str, name: str, error: str) -> None: ...
    def stop(self, decision: policy.Stop) -> None: ...
    def presence(self, jid: str, last_seen: int | None) -> None: ...


def parse_event(kind: str, payload: bytes) -> Message:
    """Parse journaled bytes of ``kind`` back into their neonize event."""
    return EVENT_BY_KIND[kind].FromString(payload)


def jid_str(jid: Any) -> str:
    """A neonize JID as a string ('' when empty)."""
    return "" if jid is None or getattr(jid, "IsEmpty", False) else Jid2String(jid)


def device_props(spec: policy.DevicePropsSpec) -> DeviceProps:
    """The neonize ``DeviceProps`` for a policy spec (history limits only when full sync)."""
    props = DeviceProps(
        os=spec.os_name,
        platformType=DeviceProps.DESKTOP if spec.desktop else DeviceProps.CHROME,
        requireFullSync=spec.require_full_sync,
    )
    if spec.require_full_sync:
        props.historySyncConfig.CopyFrom(
            DeviceProps.HistorySyncConfig(
                fullSyncDaysLimit=spec.full_sync_days,
                fullSyncSizeMbLimit=spec.full_sync_size_mb,
                storageQuotaMb=spec.storage_quota_mb,
            )
        )
    return props


def new_client(session: Session, spec: policy.DevicePropsSpec) -> NewClient:
    """A sync client on the account's session store, always with an explicit uuid."""
    return NewClient(session.name, props=device_props(spec), uuid=session.uuid)


def has_device(session: Session) -> bool:
    """True when the account's session store holds a paired device."""
    return bool(ClientFactory.get_all_devices_from_db(session.name))


def request_pair_code(client: NewClient, phone: str) -> str:
    """Ask WhatsApp for an 8-character pairing code (only valid once connect() has started)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return client.PairPhone(digits, True, ClientName.LINUX, ClientType.CHROME)


def guarded(name: str, func: Callable[..., None]) -> Callable[[Any, Any], None]:
    """Wrap a handler so an exception is logged and never reaches ctypes (which would drop it)."""

    def handler(_client: Any, event: Any) -> None:
        try:
            func(event)
        except Exception:
            log.exception("live handler %s failed; capture continues", name)

    handler.__name__ = f"handle_{name}"
    return handler


def register(client: Any, control: Control, account: str) -> None:
    """Register wa-archive's handlers on ``client``; call before ``connect()``."""
    for cls, kind in JOURNALED.items():
        client.event(cls)(guarded(kind, lambda ev, k=kind: control.ingest(k, ev)))
    on = {
        ConnectedEv: lambda ev: control.connected(),
        DisconnectedEv: lambda ev: control.disconnected(),
        OfflineSyncPreviewEv: lambda ev: control.offline_sync(False, ev.Total),
        OfflineSyncCompletedEv: lambda ev: control.offline_sync(True, ev.Count),
        PairStatusEv: lambda ev: control.paired(
            ev.Status == PairStatusEv.SUCCESS, jid_str(ev.ID), ev.BusinessName, ev.Error
        ),
        LoggedOutEv: lambda ev: control.stop(policy.on_logged_out(account, _reason(ev.Reason))),
        TemporaryBanEv: lambda ev: control.stop(
            policy.on_temporary_ban(TemporaryBanEv.TempBanReason.Name(ev.Code), ev.Expire)
        ),
        StreamReplacedEv: lambda ev: control.stop(policy.on_stream_replaced()),
        ClientOutdatedEv: lambda ev: control.stop(policy.on_client_outdated()),
        ConnectFailureEv: lambda ev: _connect_failure(control, account, ev),
        PresenceEv: lambda ev: control.presence(jid_str(ev.From), ev.LastSeen or None),
        ChatPresenceEv: lambda ev: None,  # typing indicators are not archived
    }
    for cls, func in on.items():
        client.event(cls)(guarded(cls.__name__, func))


def _reason(code: int) -> str:
    return Neonize_pb2.ConnectFailureReason.Name(code) if code else "unknown"


def _connect_failure(control: Control, account: str, ev: Any) -> None:
    decision = policy.on_connect_failure(account, _reason(ev.Reason), ev.Message)
    if decision is not None:
        control.stop(decision)


def push_name(client: Any) -> str:
    """The account's own push name once connected ('' when unknown)."""
    try:
        return str(client.get_me().PushName)
    except Exception:
        return ""


def own_jid(client: Any) -> str:
    """The account's own JID once connected ('' when unknown)."""
    try:
        return jid_str(client.get_me().JID)
    except Exception:
        return ""


def fetch_contacts(client: Any) -> list[Any]:
    """Contacts from whatsmeow's store; only call after ``Connected`` (earlier aborts the process)."""
    return list(client.contact.get_all_contacts())


def fetch_groups(client: Any) -> list[Any]:
    """Joined groups with participants; only after ``Connected``."""
    return list(client.get_joined_groups())


def fetch_chat_settings(client: Any, jid: str) -> tuple[bool, float, bool, bool]:
    """(found, muted until, pinned, archived) of one chat from whatsmeow's local store."""
    user, _, server = jid.partition("@")
    target = Neonize_pb2.JID(
        User=user, Server=server, RawAgent=0, Device=0, Integrator=0, IsEmpty=False
    )
    s = client.chat_settings.get_chat_settings(target)
    return bool(s.Found), float(s.MutedUntil), bool(s.Pinned), bool(s.Archived)


_MEDIA_TYPES = {
    "image": MediaType.MediaImage,
    "sticker": MediaType.MediaImage,
    "video": MediaType.MediaVideo,
    "ptv": MediaType.MediaVideo,
    "gif": MediaType.MediaVideo,
    "audio": MediaType.MediaAudio,
    "ptt": MediaType.MediaAudio,
    "voice": MediaType.MediaAudio,
    "document": MediaType.MediaDocument,
}


def download_media(client: Any, media: Any) -> bytes:
    """Download and decrypt one media item from its ``MediaRecord`` fields (live or history)."""
    kind = _MEDIA_TYPES.get(str(media.kind).lower(), MediaType.MediaDocument)
    return bytes(
        client.download_media_with_path(
            media.direct_path or "",
            media.enc_sha256 or b"",
            media.sha256 or b"",
            media.media_key or b"",
            int(media.size or 0),
            kind,
            kind.to_mms(),
        )
    )


__all__ = ["EVENT_TO_INT", "JOURNALED", "NewClient", "parse_event", "register"]
