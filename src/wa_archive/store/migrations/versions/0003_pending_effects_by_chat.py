"""index pending edits and revokes by chat

Revision ID: 0003
Revises: 0002

The writer looks up the pending edits and revokes of the chats a batch wrote
(``applied = false AND chat IN (...)``). With an index on (account_id, applied) only,
SQLite answered that by reading every pending effect of the account for every batch: an
import whose edits and revokes point at messages the archive never got (a partial
history) slowed down with each batch, to 12% of the writer's time at 1M messages. With
the chat in the index each chat is one range.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TABLES = ("message_edits", "message_revokes")


def upgrade() -> None:
    for table in _TABLES:
        name = f"ix_{table}_pending"
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["account_id", "applied", "chat"], unique=False)


def downgrade() -> None:
    for table in _TABLES:
        name = f"ix_{table}_pending"
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["account_id", "applied"], unique=False)
