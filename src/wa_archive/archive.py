"""``Archive``: the public Python API. Every CLI command is one call on it."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError

from . import query as q
from .errors import DatabaseError, UnknownChatError
from .query import baileys, chats, effects, messages, people, stats
from .query.identity import resolve_jid
from .records import Batch, MediaRecord
from .settings import Settings
from .store import migrate
from .store.engine import create_archive_engine, mask_url
from .store.schema import accounts, chat_coverage, sync_state
from .store.schema import contacts as contacts_table
from .store.schema import media as media_table
from .store.writer import Writer, WriteReport

if TYPE_CHECKING:
    from .sources.baileys_store import Progress, StoreImportReport


class Archive:
    """An open archive database (SQLite or PostgreSQL), migrated to the current schema."""

    def __init__(self, engine: Engine, settings: Settings | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.dialect = engine.dialect.name
        self._writer = Writer(engine)

    @classmethod
    def open(cls, target: str | Path | None = None, *, settings: Settings | None = None) -> Archive:
        """Open (creating and upgrading as needed) the archive at ``target`` or ``settings.db``."""
        settings = settings or Settings.load()
        url = str(target) if target is not None else settings.db
        engine = create_archive_engine(url)
        try:
            migrate.upgrade(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            raise DatabaseError(f"cannot open {mask_url(url)}: {_reason(exc)}") from None
        return cls(engine, settings.with_(db=url))

    def close(self) -> None:
        """Release every database connection."""
        self._writer.close()
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read connection (never blocks the writer on SQLite in WAL mode)."""
        with self.engine.connect() as conn:
            yield conn

    # --- accounts and sync state -------------------------------------------------------

    def ensure_account(self, name: str = "default") -> int:
        """The id of account ``name``, created if new."""
        with self.engine.begin() as conn:
            found = conn.execute(select(accounts.c.id).where(accounts.c.name == name)).scalar()
            if found is not None:
                return int(found)
            new_id = conn.execute(
                insert(accounts).values(name=name, created_at=_now()).returning(accounts.c.id)
            ).scalar_one()
            conn.execute(insert(sync_state).values(account_id=new_id))
            return int(new_id)

    def account_id(self, name: str) -> int | None:
        """The id of an existing account, or None."""
        with self.connect() as conn:
            return conn.execute(select(accounts.c.id).where(accounts.c.name == name)).scalar()

    def list_accounts(self, name: str | None = None) -> list[dict[str, Any]]:
        """Every account (or the one called ``name``) with its state and sync progress."""
        query = select(accounts, sync_state).join(
            sync_state, sync_state.c.account_id == accounts.c.id, isouter=True
        )
        if name is not None:
            query = query.where(accounts.c.name == name)
        with self.connect() as conn:
            return [dict(r) for r in conn.execute(query.order_by(accounts.c.name)).mappings()]

    def get_account(self, name: str) -> dict[str, Any] | None:
        """One account with its state and sync progress, or None."""
        found = self.list_accounts(name)
        return found[0] if found else None

    def set_account_state(
        self, account_id: int, state: str, *, jid: str | None = None, push_name: str | None = None
    ) -> None:
        """Record an account's connection state (and its jid/push name once known)."""
        values: dict[str, Any] = {"state": state}
        if jid is not None:
            values["jid"] = jid
        if push_name is not None:
            values["push_name"] = push_name
        with self.engine.begin() as conn:
            conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))

    def sync_state(self, account_id: int) -> dict[str, Any]:
        """The account's sync-state row (first pairing, full sync request, history progress)."""
        with self.connect() as conn:
            row = (
                conn.execute(select(sync_state).where(sync_state.c.account_id == account_id))
                .mappings()
                .first()
            )
            return dict(row) if row else {}

    def update_sync_state(self, account_id: int, **fields: Any) -> None:
        """Set sync-state fields (times as aware datetimes or integer UTC ms)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(sync_state).where(sync_state.c.account_id == account_id).values(**fields)
            )

    def record_history_chunk(self, account_id: int, info: Any) -> None:
        """Count a history-sync chunk and record per-chat end-of-history markers."""
        with self.engine.begin() as conn:
            conn.execute(
                update(sync_state)
                .where(sync_state.c.account_id == account_id)
                .values(
                    history_chunks=sync_state.c.history_chunks + 1,
                    history_progress=getattr(info, "progress", None),
                    history_messages=sync_state.c.history_messages
                    + int(getattr(info, "message_count", 0)),
                    last_event_at=_now(),
                )
            )
            for chat, span in sorted((getattr(info, "per_chat", None) or {}).items()):
                end = span[2] if len(span) > 2 else None
                if end:
                    conn.execute(
                        update(chat_coverage)
                        .where(
                            chat_coverage.c.account_id == account_id, chat_coverage.c.chat == chat
                        )
                        .values(end_of_history=True)
                    )

    # --- writing ------------------------------------------------------------------------

    def write(self, account_id: int, batch: Batch, journal_ids: Sequence[int] = ()) -> WriteReport:
        """Store a batch of records in one transaction (and mark journal rows processed)."""
        try:
            return self._writer.write(account_id, batch, journal_ids)
        except OperationalError as exc:
            raise DatabaseError(f"write failed: {_reason(exc)}") from exc

    def write_all(
        self, account_id: int, batches: Iterable[Batch]
    ) -> Iterator[tuple[Batch, WriteReport]]:
        """Store batches in order, one transaction each; yield each with its report.

        Faster than ``write`` in a loop on PostgreSQL (a batch is made ready while the
        server takes the one before); the archive ends the same either way.
        """
        try:
            yield from self._writer.write_all(account_id, batches)
        except OperationalError as exc:
            raise DatabaseError(f"write failed: {_reason(exc)}") from exc

    @property
    def batch_messages(self) -> int:
        """Messages per batch an import should hand to ``write_all`` on this database."""
        return self._writer.batch_messages

    def import_chat_export(
        self,
        path: str | Path,
        *,
        account: str = "default",
        chat: str | None = None,
        me: str | None = None,
        tz: str | None = None,
        date_order: str | None = None,
    ) -> ChatExportReport:
        """Import a WhatsApp "Export chat" .txt or .zip (attachments into the media store)."""
        from .media_store import MediaStore
        from .sources.chat_export import parse_chat_export

        home = self.settings.home if self.settings else Path.cwd()
        result = parse_chat_export(
            Path(path), chat=chat, me=me, tz=tz, date_order=date_order,
            media_store=MediaStore(home / "media"),
        )  # fmt: skip
        account_id = self.ensure_account(account)
        written = WriteReport()
        for _batch, report in self.write_all(account_id, result.batches):
            written.add(report)
        return ChatExportReport(
            chat=result.chat, chat_name=result.chat_name, date_order=result.date_order,
            counts=result.counts, written=written, notes=result.notes,
        )  # fmt: skip

    def import_baileys_store(
        self, path: str | Path, *, account: str = "default", progress: Progress | None = None
    ) -> StoreImportReport:
        """Import an old Baileys ``baileys_store.json``; ``DamagedInputError`` carries the report."""
        from .sources.baileys_store import import_baileys_store
        from .sources.baileys_store.stream import checked_size

        checked_size(Path(path))  # a missing file or a directory: nothing is written
        account_id = self.ensure_account(account)
        return import_baileys_store(self, account_id, path, progress=progress)

    def set_media_state(
        self, account_id: int, media: MediaRecord, state: str, error: str | None = None
    ) -> None:
        """Record a media download outcome: stored, pending, failed, skipped or unavailable."""
        with self.engine.begin() as conn:
            conn.execute(
                update(media_table)
                .where(
                    media_table.c.account_id == account_id,
                    media_table.c.chat == resolve_jid(conn, account_id, media.chat),
                    media_table.c.message_id == media.message_id,
                    media_table.c.sender == resolve_jid(conn, account_id, media.sender),
                )
                .values(
                    download_state=state,
                    download_error=error,
                    download_attempts=media_table.c.download_attempts
                    + (1 if state in ("failed", "unavailable") else 0),
                )
            )

    def pending_media(
        self, account_id: int, *, max_attempts: int = 3, limit: int = 1000
    ) -> list[MediaRecord]:
        """Downloadable media not stored yet (never tried, pending, or failed fewer times)."""
        m = media_table.c
        with self.connect() as conn:
            rows = conn.execute(
                select(media_table)
                .where(
                    m.account_id == account_id,
                    m.local_path.is_(None),
                    m.media_key.is_not(None),
                    m.direct_path.is_not(None),
                    or_(m.download_state.is_(None), m.download_state.in_(("pending", "failed"))),
                    m.download_attempts < max_attempts,
                )
                .order_by(m.chat, m.message_id)
                .limit(limit)
            ).mappings()
            fields = set(MediaRecord.__struct_fields__)
            return [MediaRecord(**{k: v for k, v in r.items() if k in fields}) for r in rows]

    def update_last_seen(self, account_id: int, seen: dict[str, int]) -> None:
        """Keep the latest last-seen time (UTC ms) of contacts; presence is not stored per event."""
        with self.engine.begin() as conn:
            for jid, at in sorted(seen.items()):
                canonical = resolve_jid(conn, account_id, jid)
                stmt = _dialect_insert(self.dialect)(contacts_table).values(
                    account_id=account_id, jid=canonical, last_seen_at=at
                )
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["account_id", "jid"],
                        set_={"last_seen_at": stmt.excluded.last_seen_at},
                        where=or_(
                            contacts_table.c.last_seen_at.is_(None),
                            contacts_table.c.last_seen_at < stmt.excluded.last_seen_at,
                        ),
                    )
                )

    # --- reading: the old store's questions ---------------------------------------------

    def chats(self, account_id: int, **options: Any) -> list[q.ChatView]:
        """Chats, pinned first then by last message."""
        with self.connect() as conn:
            return chats.list_chats(conn, account_id, **options)

    def chat(self, account_id: int, jid: str) -> q.ChatView | None:
        """One chat (PN or LID form)."""
        with self.connect() as conn:
            return chats.get_chat(conn, account_id, jid)

    def messages(self, account_id: int, chat: str, **options: Any) -> list[q.MessageView]:
        """A keyset page of a chat's messages (newest first); see ``query.messages``."""
        with self.connect() as conn:
            if chats.get_chat(conn, account_id, chat) is None:
                raise UnknownChatError(f"no chat {chat!r} in this archive")
            return messages.list_messages(conn, account_id, chat, **options)

    def message(
        self, account_id: int, chat: str, message_id: str, sender: str | None = None
    ) -> q.MessageView | None:
        """One message by chat and id, or None."""
        with self.connect() as conn:
            return messages.get_message_view(conn, account_id, chat, message_id, sender)

    def latest_message(self, account_id: int, chat: str) -> q.MessageView | None:
        """The most recent message of a chat."""
        with self.connect() as conn:
            return messages.latest_message(conn, account_id, chat)

    def get_message(self, account_id: int, key: dict[str, Any]) -> dict[str, Any] | None:
        """Baileys ``getMessage``: the stored message content for a key, or None."""
        with self.connect() as conn:
            return baileys.get_message_content(conn, account_id, key)

    def contact(self, account_id: int, jid: str) -> q.ContactView | None:
        """A person by phone-number JID or LID."""
        with self.connect() as conn:
            return people.get_contact(conn, account_id, jid)

    def participants(self, account_id: int, group: str, **options: Any) -> list[q.ParticipantView]:
        """Members of a group."""
        with self.connect() as conn:
            return people.list_participants(conn, account_id, group, **options)

    def reactions(self, account_id: int, chat: str, message_id: str) -> list[q.ReactionView]:
        """Current reactions to a message."""
        with self.connect() as conn:
            return effects.list_reactions(conn, account_id, chat, message_id)

    def receipts(self, account_id: int, chat: str, message_id: str) -> list[q.ReceiptView]:
        """Receipts of a message."""
        with self.connect() as conn:
            return effects.list_receipts(conn, account_id, chat, message_id)

    def edits(self, account_id: int, chat: str, message_id: str) -> list[q.EditView]:
        """Edit history of a message, oldest first."""
        with self.connect() as conn:
            return effects.list_edits(conn, account_id, chat, message_id)

    def labels(
        self, account_id: int, chat: str | None = None, message_id: str = ""
    ) -> list[q.LabelView]:
        """All labels, or the labels of a chat or of one message."""
        with self.connect() as conn:
            return effects.list_labels(conn, account_id, chat, message_id)

    def stats(self, account_id: int) -> list[q.ChatStats]:
        """Per-chat message counts with first/last timestamps."""
        with self.connect() as conn:
            return stats.chat_stats(conn, account_id)


@dataclass
class ChatExportReport:
    """What one chat-export import found and wrote."""

    chat: str
    chat_name: str | None
    date_order: str
    counts: Any
    written: WriteReport
    notes: list[str]


def _dialect_insert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _now() -> int:
    return int(time.time() * 1000)


def _reason(exc: BaseException) -> str:
    """The driver's own first line, with any password masked."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return mask_url(text[0] if text else type(exc).__name__)
