"""What every command shares: the resolved settings and a lazily opened archive."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import msgspec
import typer
from rich.console import Console

from ...archive import Archive
from ...errors import UserInputError
from ...settings import Settings


@dataclass
class State:
    """Per-invocation state stored in ``typer.Context.obj``."""

    settings: Settings
    _archive: Archive | None = field(default=None, repr=False)

    def archive(self) -> Archive:
        """The archive named by the settings, opened (and migrated) on first use."""
        if self._archive is None:
            self._archive = Archive.open(settings=self.settings)
        return self._archive

    def account_id(self, create: bool = False) -> int:
        """The id of the selected account (created when ``create``)."""
        archive = self.archive()
        name = self.settings.account
        if create:
            return archive.ensure_account(name)
        found = archive.account_id(name)
        if found is None:
            raise UserInputError(f"no account {name!r} in {self.settings.db_display}")
        return found


def state(ctx: typer.Context) -> State:
    """The ``State`` of the running command."""
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def print_json(value: Any) -> None:
    """Print any view/list of views as JSON on stdout."""
    typer.echo(json.dumps(msgspec.to_builtins(value), ensure_ascii=False, indent=2))


console = Console()
err_console = Console(stderr=True)
