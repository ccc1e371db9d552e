"""One thread per account: replay, connect, capture, reconnect with backoff, stop for good.

The runner is the ``Control`` the neonize adapter reports to. Pairing (``login``) and archiving
(``run``) are the same loop; only pairing may send the full-sync device properties, and only at
an account's first pairing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wa_archive.journal import Journal
from wa_archive.sources.live import policy
from wa_archive.sources.live.handlers import Capture
from wa_archive.sources.live.session import Session, prepare_session, secure_session_files
from wa_archive.sources.live.session import session_for as _session_for
from wa_archive.sources.live.snapshots import Snapshotter
from wa_archive.sources.live.status import AccountStatus

log = logging.getLogger("wa_archive.sources.live")


@dataclass
class Deps:
    """The neonize-facing functions the runner uses; tests swap in spies."""

    new_client: Callable[[Session, policy.DevicePropsSpec], Any]
    has_device: Callable[[Session], bool]
    register: Callable[[Any, Any, str], None]
    parse: Callable[[str, bytes], Any]
    pair_code: Callable[[Any, str], str]
    fetchers: dict[str, Callable[..., Any]]
    download: Callable[[Any, Any], bytes]


def neonize_deps() -> Deps:
    """The real adapter (imports neonize, after the platform check)."""
    from wa_archive.sources.live import client as c

    fetchers: dict[str, Callable[..., Any]] = {
        "contacts": c.fetch_contacts,
        "groups": c.fetch_groups,
        "chat_settings": c.fetch_chat_settings,
        "me": lambda cl: (c.own_jid(cl), c.push_name(cl)),
    }
    return Deps(
        c.new_client, c.has_device, c.register, c.parse_event, c.request_pair_code, fetchers,
        c.download_media,
    )  # fmt: skip


@dataclass
class Pairing:
    """What ``login`` wants to see: QR payloads, the pair code, and the outcome."""

    on_qr: Callable[[bytes], None]
    on_result: Callable[[bool, str, str, str], None]
    phone: str | None = None
    on_code: Callable[[str], None] = lambda code: None
    paired: bool = False
    code_requested: bool = False
    reported: bool = False


@dataclass
class RunOptions:
    """Tunables of a capture run."""

    media: bool = False
    media_max_bytes: int = 100 * 1024 * 1024
    snapshot_interval: float = 6 * 3600
    snapshot_grace: float = 120.0
    tick: float = 1.0
    spool_dir: Path | None = None
    media_dir: Path | None = None
    backoff: policy.Backoff = field(default_factory=policy.Backoff)


class AccountRunner(threading.Thread):
    """Archives one account until stopped; also the pairing loop when ``pairing`` is given."""

    def __init__(
        self,
        archive: Any,
        account: str,
        options: RunOptions | None = None,
        deps: Deps | None = None,
        pairing: Pairing | None = None,
    ) -> None:
        super().__init__(name=f"wa-archive-{account}", daemon=True)
        self.archive, self.account = archive, account
        self.options = options or RunOptions()
        self.deps = deps or neonize_deps()
        self.pairing = pairing
        self.status = AccountStatus(account)
        self.stop_reason: policy.Stop | None = None
        self.client: Any = None
        self.capture: Capture | None = None
        self.account_id = 0
        self._halted = threading.Event()
        self._spec = policy.props_for_run()
        self._snap: Snapshotter | None = None
        self._media: Any = None

    def halt(self) -> None:
        """Stop cleanly: the client is stopped, the in-flight event finishes, nothing is lost."""
        self._halted.set()
        if self.client is not None:
            try:
                self.client.stop()
            except Exception:
                log.debug("client.stop failed", exc_info=True)

    def run(self) -> None:
        """Thread body: never raises; a failure is shown in the status."""
        try:
            self._run()
        except Exception as exc:
            log.exception("account %s failed", self.account)
            self.status.set("failed", str(exc))
        finally:
            self._finish()

    def _run(self) -> None:
        session = self._prepare()
        if session is None:
            return
        self.client = self.deps.new_client(session, self._spec)
        self.deps.register(self.client, self, self.account)
        if self.pairing is not None:
            self.client.event.qr(self._on_qr)
        self._start_helpers()
        while not self._halted.is_set():
            self._connect_once()
            if self._halted.is_set():
                break
            if self.pairing is not None and not self.pairing.paired:
                self.stop(policy.Stop("unpaired", "pairing did not complete (codes expired?)"))
                break
            delay = self.options.backoff.next_delay()
            self.status.set("reconnecting", f"next attempt in {delay:.0f} s")
            self._halted.wait(delay)

    def _prepare(self) -> Session | None:
        """Open the account, replay the journal, and choose the device properties by policy."""
        self.account_id = self.archive.ensure_account(self.account)
        session = _session_for(self.archive.engine, self.account)
        prepare_session(self.archive.engine, session)
        journal = Journal(self.archive.engine, self.account_id, self._spool_dir())
        self.capture = Capture(self.archive, self.account_id, journal, self.deps.parse, self.status)
        self.status.set("replaying", "journal and spool")
        self.capture.replay()
        account = self.archive.get_account(self.account) or {}
        logged_out = account.get("state") == "logged_out"
        if self.pairing is not None:
            if self.deps.has_device(session) and not logged_out:
                self.status.set("paired", "already paired")
                self.pairing.on_result(True, str(account.get("jid") or ""),
                                       str(account.get("push_name") or ""), "already paired")  # fmt: skip
                return None
            self._spec = policy.props_for_pairing(self.archive.sync_state(self.account_id))
            return session
        if logged_out or not self.deps.has_device(session):
            self.stop(policy.not_paired(self.account, str(account.get("state") or "")))
            return None
        return session

    def _connect_once(self) -> None:
        self.status.set("connecting")
        try:
            self.client.connect()
        except Exception as exc:
            log.warning("account %s: connection ended: %s", self.account, exc)
            self.status.set("disconnected", str(exc)[:200])

    def _start_helpers(self) -> None:
        assert self.capture is not None
        capture = self.capture
        self._snap = Snapshotter(
            capture.write_snapshot,
            self.deps.fetchers,
            self._chat_jids,
            self.options.snapshot_interval,
            self.options.snapshot_grace,
        )
        if self.options.media:
            from wa_archive.sources.live.media import MediaFetcher

            self._media = MediaFetcher(
                self._media_dir(),
                lambda m: self.deps.download(self.client, m),
                capture.write_snapshot,
                lambda m, state, error: self.archive.set_media_state(
                    self.account_id, m, state, error
                ),
                self.options.media_max_bytes,
            )
            capture.after_write.append(self._media.after_write)
            self._media.start()
            # Media that failed or was never fetched on an earlier run gets another chance.
            self._media.enqueue(self.archive.pending_media(self.account_id))
        threading.Thread(target=self._maintain, name=f"{self.name}-upkeep", daemon=True).start()

    def _maintain(self) -> None:
        """Every tick: leave a database outage when possible and take due snapshots."""
        while not self._halted.wait(self.options.tick):
            if self.capture is not None:
                self.capture.maintain()
            if self._snap is not None and self.client is not None:
                self._snap.tick(self.client)

    def _finish(self) -> None:
        if self._media is not None:
            self._media.stop()
        if self.capture is not None:
            with self.capture.write_lock:
                self.capture.journal.close()
        try:
            secure_session_files(_session_for(self.archive.engine, self.account))
        except Exception:
            log.debug("securing session files failed", exc_info=True)
        if self.status.state not in ("stopped", "failed", "paired"):
            self.status.set("stopped", self.status.detail)

    def _chat_jids(self) -> list[str]:
        return [str(c.jid) for c in self.archive.chats(self.account_id)]

    def _spool_dir(self) -> Path:
        if self.options.spool_dir is not None:
            return self.options.spool_dir
        db = self.archive.engine.url.database
        if self.archive.engine.dialect.name == "sqlite" and db:
            return Path(db).resolve().with_suffix(".spool")
        return Path(self.archive.settings.home) / "spool"

    def _media_dir(self) -> Path:
        if self.options.media_dir is not None:
            return self.options.media_dir
        return Path(self.archive.settings.home) / "media"

    # --- Control: called by the neonize adapter on the client's event thread ---

    def ingest(self, kind: str, event: Any) -> None:
        """A journaled event arrived."""
        assert self.capture is not None
        self.capture.ingest(kind, event)

    def connected(self) -> None:
        """Connected: reset the backoff, record the account, allow snapshots."""
        self.options.backoff.reset()
        jid, name = self.deps.fetchers["me"](self.client)
        self.status.set("connected")
        self.status.jid, self.status.push_name = jid, name
        self.archive.set_account_state(self.account_id, "active", jid=jid or None,
                                       push_name=name or None)  # fmt: skip
        self.archive.update_sync_state(self.account_id, state="connected")
        if self._snap is not None:
            self._snap.connected()
        if self.pairing is not None and self.pairing.paired and not self.pairing.reported:
            self.pairing.reported = True
            self.pairing.on_result(True, jid, name, "")

    def disconnected(self) -> None:
        """Disconnected: whatsmeow reconnects by itself; snapshots wait."""
        self.status.set("reconnecting", "connection lost")
        if self._snap is not None:
            self._snap.disconnected()

    def offline_sync(self, done: bool, count: int) -> None:
        """The offline backlog is announced or caught up."""
        if done and self._snap is not None:
            self._snap.offline_sync_completed()
        self.status.detail = f"offline backlog {'done' if done else 'pending'} ({count})"

    def paired(self, ok: bool, jid: str, name: str, error: str) -> None:
        """Pairing finished; the first pairing records that full history was requested."""
        if self.pairing is None:
            return
        if not ok:
            self.pairing.on_result(False, jid, name, error or "pairing failed")
            self.stop(policy.Stop("unpaired", f"pairing failed: {error}"))
            return
        self.pairing.paired = True
        now = int(time.time() * 1000)
        fields: dict[str, Any] = {"state": "paired"}
        state = self.archive.sync_state(self.account_id) or {}
        if not state.get("first_paired_at"):
            fields["first_paired_at"] = now
        if self._spec.require_full_sync:
            fields["full_sync_requested_at"] = now
        self.archive.update_sync_state(self.account_id, **fields)
        self.archive.set_account_state(self.account_id, "active", jid=jid or None)

    def stop(self, decision: policy.Stop) -> None:
        """Stop this account for good with a reason the user can act on."""
        self.stop_reason = decision
        log.warning("account %s stopped: %s", self.account, decision.reason)
        self.status.set("stopped", decision.reason)
        if self.account_id:
            self.archive.set_account_state(self.account_id, decision.state)
            self.archive.update_sync_state(self.account_id, state=decision.state)
        self.halt()

    def presence(self, jid: str, last_seen: int | None) -> None:
        """A contact's last-seen time (kept on the contact, not stored per event)."""
        if last_seen:
            self.archive.update_last_seen(self.account_id, {jid: int(last_seen) * 1000})

    def _on_qr(self, client: Any, data: bytes) -> None:
        """QR callback: show the code; with a phone number, ask once for a pairing code."""
        assert self.pairing is not None
        pairing = self.pairing
        try:
            if pairing.phone and not pairing.code_requested:
                pairing.code_requested = True
                pairing.on_code(self.deps.pair_code(client, pairing.phone))
            elif not pairing.phone:
                pairing.on_qr(data)
        except Exception as exc:
            pairing.on_result(False, "", "", f"pair code request failed: {exc}")
            self.stop(policy.Stop("unpaired", f"pair code request failed: {exc}"))
