"""``logout``: unlink an account's device from WhatsApp while keeping everything archived."""

from __future__ import annotations

import logging
import threading
from typing import Any

from wa_archive.errors import UserInputError
from wa_archive.sources.live import policy
from wa_archive.sources.live.runner import Deps, neonize_deps
from wa_archive.sources.live.session import prepare_session, session_for

log = logging.getLogger("wa_archive.sources.live")


class _LogoutControl:
    """A minimal control: on ``Connected`` it unlinks the device and stops the client."""

    def __init__(self) -> None:
        self.client: Any = None
        self.error = ""
        self.done = threading.Event()

    def connected(self) -> None:
        try:
            self.client.logout()
        except Exception as exc:
            self.error = str(exc)
        self.done.set()
        self.client.stop()

    def stop(self, decision: policy.Stop) -> None:
        self.error = decision.reason
        self.done.set()
        self.client.stop()

    def __getattr__(self, _name: str) -> Any:
        return lambda *args, **kwargs: None


def unlink(archive: Any, account: str, deps: Deps | None = None, timeout: float = 60.0) -> str:
    """Unlink ``account``'s device; return '' on success or the reason it failed."""
    deps = deps or neonize_deps()
    account_id = archive.ensure_account(account)
    session = session_for(archive.engine, account)
    prepare_session(archive.engine, session)
    if not deps.has_device(session):
        if not archive.sync_state(account_id).get("first_paired_at"):
            raise UserInputError(f"account {account!r} has no linked device")
        archive.set_account_state(account_id, "logged_out")
        return ""
    control = _LogoutControl()
    control.client = deps.new_client(session, policy.props_for_run())
    deps.register(control.client, control, account)
    worker = threading.Thread(target=control.client.connect, daemon=True)
    worker.start()
    if not control.done.wait(timeout):
        control.client.stop()
        return "could not reach WhatsApp to unlink the device"
    worker.join(timeout=10)
    if not control.error:
        archive.set_account_state(account_id, "logged_out")
        archive.update_sync_state(account_id, state="logged_out")
    return control.error
