"""Ban-safe policy as code: when full history may be requested, how to back off, when to stop.

Everything here is pure (no neonize, no database) so the rules can be read and tested alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

OS_NAME = "wa-archive"
FULL_SYNC_DAYS = 3650
FULL_SYNC_SIZE_MB = 102_400
STORAGE_QUOTA_MB = 102_400

OUTGOING_CALLS = (
    "send_message",
    "send_presence",
    "send_chat_presence",
    "mark_read",
    "subscribe_presence",
    "send_app_state",
    "reply_message",
    "edit_message",
    "revoke_message",
    "set_passive",
)
"""Client methods that talk to contacts or announce the device; the archiver never calls them."""


@dataclass(frozen=True)
class DevicePropsSpec:
    """The device properties sent to WhatsApp; they only count in a pairing payload."""

    os_name: str = OS_NAME
    desktop: bool = True
    require_full_sync: bool = False
    full_sync_days: int = 0
    full_sync_size_mb: int = 0
    storage_quota_mb: int = 0


def props_for_pairing(sync_state: dict[str, object]) -> DevicePropsSpec:
    """Full history with generous limits at an account's first pairing only, never afterwards."""
    if sync_state.get("first_paired_at") or sync_state.get("full_sync_requested_at"):
        return DevicePropsSpec()
    return DevicePropsSpec(
        require_full_sync=True,
        full_sync_days=FULL_SYNC_DAYS,
        full_sync_size_mb=FULL_SYNC_SIZE_MB,
        storage_quota_mb=STORAGE_QUOTA_MB,
    )


def props_for_run() -> DevicePropsSpec:
    """A run of an already-paired account never asks for full history."""
    return DevicePropsSpec()


class Backoff:
    """Exponential reconnect delays with full jitter, capped, reset after a healthy connection."""

    def __init__(
        self,
        base: float = 2.0,
        cap: float = 300.0,
        factor: float = 2.0,
        rng: random.Random | None = None,
    ) -> None:
        self.base, self.cap, self.factor = base, cap, factor
        self.attempt = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """The delay before the next attempt: uniform in [ceiling/2, ceiling], ceiling capped."""
        ceiling = min(self.cap, self.base * self.factor**self.attempt)
        self.attempt += 1
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        """Forget past failures (called once a connection is established)."""
        self.attempt = 0


@dataclass(frozen=True)
class Stop:
    """A reason to stop an account for good; ``state`` is what the account is marked."""

    state: str
    reason: str


def on_logged_out(account: str, reason: str) -> Stop:
    """The device was unlinked: never re-pair automatically, tell the user to log in again."""
    return Stop(
        "logged_out",
        f"logged out by WhatsApp ({reason}); run `wa-archive login --account {account}` to pair again",
    )


def not_paired(account: str, state: str) -> Stop:
    """``run`` never pairs: an account without a device (or logged out) needs ``login`` first."""
    why = "was logged out" if state == "logged_out" else "is not paired"
    return Stop(
        "logged_out" if state == "logged_out" else "unpaired",
        f"account {account} {why}; run `wa-archive login --account {account}` first",
    )


def on_temporary_ban(code: str, expire_seconds: int) -> Stop:
    """A temporary ban: stop and report when it ends; reconnecting early makes it worse."""
    hours = expire_seconds / 3600
    return Stop(
        "banned",
        f"temporarily banned by WhatsApp ({code}); expires in about {hours:.1f} h — "
        "wait before running again",
    )


def on_stream_replaced() -> Stop:
    """Another client took over this session: stop instead of fighting over it."""
    return Stop(
        "replaced",
        "another client opened this session (stream replaced); stopped so the two do not "
        "fight — close the other client, then run again",
    )


def on_client_outdated() -> Stop:
    """WhatsApp refuses this client version: only a newer neonize release can fix it."""
    return Stop(
        "outdated",
        "WhatsApp says this client is outdated; upgrade wa-archive/neonize, then run again",
    )


STOP_FAILURE_REASONS = {"LOGGED_OUT", "MAIN_DEVICE_GONE", "UNKNOWN_LOGOUT", "CLIENT_OUTDATED"}
"""ConnectFailure reasons that are final; every other failure is retried with backoff."""


def on_connect_failure(account: str, reason: str, message: str) -> Stop | None:
    """Map a connect failure to a stop, or None when reconnecting (with backoff) is right."""
    if reason == "CLIENT_OUTDATED":
        return on_client_outdated()
    if reason == "TEMP_BANNED":
        return Stop("banned", f"temporarily banned by WhatsApp: {message or reason}")
    if reason in STOP_FAILURE_REASONS:
        return on_logged_out(account, reason)
    return None
