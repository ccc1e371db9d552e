"""Settings: CLI flags > environment > TOML file > defaults, resolved in one place.

==================  =====================  ===========================================
setting             environment            default
==================  =====================  ===========================================
home                ``WA_ARCHIVE_HOME``    ``$XDG_DATA_HOME/wa-archive`` (~/.local/share/wa-archive)
db                  ``WA_ARCHIVE_DB``      ``<home>/archive.db`` (SQLite)
config              ``WA_ARCHIVE_CONFIG``  ``<home>/config.toml`` (optional)
account             ``WA_ARCHIVE_ACCOUNT`` ``default``
media               ``WA_ARCHIVE_MEDIA``   off: download media during live capture
media_max_bytes     —                      100 MB per file
==================  =====================  ===========================================

The TOML file holds the same names at top level (``db = "postgresql://…"``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from .errors import UserInputError
from .store.engine import mask_url

SETTINGS_HELP: tuple[tuple[str, str], ...] = (
    ("home", "directory for the default database, media store, spool and session files"),
    ("db", "database: a SQLite path or a postgresql:// URL"),
    ("account", "the WhatsApp account name commands act on"),
    ("media", "download media during live capture"),
    ("media_max_bytes", "largest media file to download"),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with ``Settings.load``."""

    home: Path
    db: str
    account: str = "default"
    media: bool = False
    media_max_bytes: int = 100 * 1024 * 1024

    @property
    def db_display(self) -> str:
        """The database URL with any password masked."""
        return mask_url(self.db)

    @property
    def media_dir(self) -> Path:
        """Root of the content-addressed media store."""
        return self.home / "media"

    @classmethod
    def load(cls, env: dict[str, str] | None = None, **flags: Any) -> Settings:
        """Resolve settings from flags (non-None values), environment and the TOML file."""
        env = dict(os.environ) if env is None else env
        home = Path(
            flags.get("home") or env.get("WA_ARCHIVE_HOME") or user_data_dir("wa-archive", False)
        ).expanduser()
        config_path = Path(env.get("WA_ARCHIVE_CONFIG") or home / "config.toml")
        values: dict[str, Any] = {"home": home, "db": str(home / "archive.db")}
        values.update(_read_toml(config_path))
        values.update(_from_env(env))
        values.update({k: v for k, v in flags.items() if v is not None})
        values["home"] = Path(values["home"]).expanduser()
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise UserInputError(f"{config_path}: unknown setting(s): {', '.join(unknown)}")
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)


def _from_env(env: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if env.get("WA_ARCHIVE_DB"):
        out["db"] = env["WA_ARCHIVE_DB"]
    if env.get("WA_ARCHIVE_ACCOUNT"):
        out["account"] = env["WA_ARCHIVE_ACCOUNT"]
    if env.get("WA_ARCHIVE_MEDIA"):
        out["media"] = env["WA_ARCHIVE_MEDIA"].lower() in ("1", "true", "yes", "on")
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserInputError(f"{path}: not valid TOML ({exc})") from None
