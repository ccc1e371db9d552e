"""Ban-safe policy, asserted with a spy client on the real dispatcher and the real runner."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

import pytest
from neonize.client import NewClient
from neonize.proto import Neonize_pb2 as N

from wa_archive import Archive
from wa_archive.sources import fake_events as fe
from wa_archive.sources.live import client as live_client
from wa_archive.sources.live import policy
from wa_archive.sources.live.runner import AccountRunner, Deps, Pairing, RunOptions
from wa_archive.sources.live.session import Session

ME = "15550000001@s.whatsapp.net"
ALICE = "15551230001@s.whatsapp.net"


class SpyClient(NewClient):
    """A real NewClient whose connect() plays a script through the real dispatcher."""

    script: ClassVar[list[Any]] = []
    instances: ClassVar[list[SpyClient]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outgoing: list[str] = []
        self.connects = 0
        self._stopped = threading.Event()
        SpyClient.instances.append(self)

    def connect(self, proxy_settings: Any = None) -> None:
        self.connects += 1
        for step in self.script:
            if step == "qr":
                self.event._qr(self, b"2@spy-qr-payload")
            else:
                fe.dispatch(self, step)
        self._stopped.wait(10)

    def stop(self) -> None:
        self._stopped.set()

    def get_me(self) -> Any:
        return N.Device(JID=fe.jid(ME), PushName="Me", Platform="", BussinessName="",
                        Initialized=True)  # fmt: skip

    def _record(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> None:
            self.outgoing.append(name)

        return call

    def __getattribute__(self, name: str) -> Any:
        if name in policy.OUTGOING_CALLS:
            return object.__getattribute__(self, "_record")(name)
        return object.__getattribute__(self, name)


def deps(paired: bool) -> Deps:
    def new_client(session: Session, spec: policy.DevicePropsSpec) -> SpyClient:
        return SpyClient(session.name, props=live_client.device_props(spec), uuid=session.uuid)

    fetchers = {
        "contacts": lambda c: [fe.contact(ALICE, full_name="Alice")],
        "groups": lambda c: [],
        "chat_settings": lambda c, jid: (True, 0.0, True, False),
        "me": lambda c: (ME, "Me"),
    }
    return Deps(new_client, lambda s: paired, live_client.register, live_client.parse_event,
                lambda c, phone: "ABCD1234", fetchers, lambda c, m: b"")  # fmt: skip


def connected() -> Any:
    return N.Connected(status=True)


def pair_ok() -> Any:
    return N.PairStatus(ID=fe.jid(ME), BusinessName="", Platform="", Status=N.PairStatus.SUCCESS,
                        Error="")  # fmt: skip


def _run(runner: AccountRunner, until: Any) -> None:
    runner.start()
    for _ in range(200):
        if until():
            break
        threading.Event().wait(0.02)
    runner.halt()
    runner.join(10)
    assert not runner.is_alive()


@pytest.fixture
def archive(tmp_path: Path) -> Any:
    a = Archive.open(tmp_path / "archive.db")
    yield a
    a.close()


def test_full_sync_only_at_first_pairing_and_never_sending(
    archive: Archive, tmp_path: Path
) -> None:
    SpyClient.instances = []
    SpyClient.script = ["qr", pair_ok(), connected()]
    results: list[tuple[bool, str, str, str]] = []
    qrs: list[bytes] = []
    pairing = Pairing(qrs.append, lambda *r: results.append(r))
    opts = RunOptions(spool_dir=tmp_path / "spool", snapshot_grace=0, tick=0.02)
    first = AccountRunner(archive, "default", opts, deps(paired=False), pairing)
    _run(first, lambda: bool(results))
    assert results == [(True, ME, "Me", "")] and qrs == [b"2@spy-qr-payload"]
    spy = SpyClient.instances[0]
    assert spy.device_props.requireFullSync is True
    assert spy.device_props.platformType == spy.device_props.DESKTOP
    assert spy.device_props.historySyncConfig.fullSyncDaysLimit >= 3650
    state = archive.sync_state(first.account_id)
    assert state["first_paired_at"] is not None and state["full_sync_requested_at"] is not None

    SpyClient.script = [connected(), fe.text_message_event("hi", id="M1", chat=ALICE,
                                                           sender=ALICE, timestamp_ms=1_700_000_000_000)]  # fmt: skip
    second = AccountRunner(archive, "default", opts, deps(paired=True))
    _run(second, lambda: second.status.events >= 1 and second._snap is not None
         and second._snap.taken >= 1)  # fmt: skip
    spy2 = SpyClient.instances[1]
    assert spy2.device_props.requireFullSync is False
    assert not spy2.device_props.HasField("historySyncConfig")
    assert [m.id for m in archive.messages(second.account_id, ALICE)] == ["M1"]
    assert archive.chat(second.account_id, ALICE).pinned is True  # from the settings snapshot
    assert all(s.outgoing == [] for s in SpyClient.instances)
    assert (
        archive.sync_state(second.account_id)["full_sync_requested_at"]
        == state["full_sync_requested_at"]
    )


def test_pair_code_is_requested_once_from_the_qr_callback(archive: Archive, tmp_path: Path) -> None:
    SpyClient.instances = []
    SpyClient.script = ["qr", "qr", pair_ok(), connected()]
    codes: list[str] = []
    results: list[Any] = []
    pairing = Pairing(lambda d: None, lambda *r: results.append(r), "+1 555 000 0001", codes.append)
    runner = AccountRunner(archive, "default", RunOptions(spool_dir=tmp_path / "s"),
                           deps(paired=False), pairing)  # fmt: skip
    _run(runner, lambda: bool(results))
    assert codes == ["ABCD1234"] and results[0][0] is True


@pytest.mark.parametrize(
    ("event", "state", "words"),
    [
        (N.TemporaryBan(Code=N.TemporaryBan.SEND_TO_TOO_MANY_PEOPLE, Expire=7200), "banned",
         "2.0 h"),
        (N.StreamReplaced(), "replaced", "another client"),
        (N.ClientOutdated(), "outdated", "upgrade"),
        (N.LoggedOut(OnConnect=True, Reason=N.LOGGED_OUT), "logged_out", "wa-archive login"),
    ],
)  # fmt: skip
def test_final_events_stop_without_looping(
    archive: Archive, tmp_path: Path, event: Any, state: str, words: str
) -> None:
    SpyClient.instances = []
    SpyClient.script = [connected(), event]
    runner = AccountRunner(archive, "default", RunOptions(spool_dir=tmp_path / "s"), deps(True))
    runner.start()
    runner.join(10)
    assert not runner.is_alive() and SpyClient.instances[0].connects == 1
    assert runner.stop_reason is not None and runner.stop_reason.state == state
    assert words in runner.stop_reason.reason
    assert archive.get_account("default")["state"] == state
    if state == "logged_out":  # a later run refuses and never re-pairs
        again = AccountRunner(archive, "default", RunOptions(spool_dir=tmp_path / "s"), deps(True))
        again.start()
        again.join(10)
        assert again.client is None and "login" in (
            again.stop_reason.reason if again.stop_reason else ""
        )


def test_unpaired_account_is_not_run(archive: Archive, tmp_path: Path) -> None:
    runner = AccountRunner(archive, "default", RunOptions(spool_dir=tmp_path / "s"), deps(False))
    runner.start()
    runner.join(10)
    assert runner.client is None and runner.stop_reason is not None
    assert "wa-archive login --account default" in runner.stop_reason.reason


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    import random

    b = policy.Backoff(base=1, cap=30, rng=random.Random(7))
    delays = [b.next_delay() for _ in range(12)]
    assert all(0.5 <= d <= 30 for d in delays) and max(delays[-4:]) > 15
    assert len(set(delays)) == len(delays)
    b.reset()
    assert b.next_delay() <= 1


def test_connect_failures_map_to_stops_or_retries() -> None:
    assert policy.on_connect_failure("a", "SERVICE_UNAVAILABLE", "") is None
    assert policy.on_connect_failure("a", "CLIENT_OUTDATED", "").state == "outdated"  # type: ignore[union-attr]
    assert policy.on_connect_failure("a", "MAIN_DEVICE_GONE", "").state == "logged_out"  # type: ignore[union-attr]
