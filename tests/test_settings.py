"""Settings precedence: flags > environment > TOML file > defaults; secrets masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from wa_archive import Settings, UserInputError
from wa_archive.store.engine import mask_url


def test_defaults_live_under_the_data_dir(tmp_path: Path) -> None:
    s = Settings.load(env={"WA_ARCHIVE_HOME": str(tmp_path)})
    assert s.db == str(tmp_path / "archive.db") and s.account == "default"


def test_precedence(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('db = "from-toml.db"\naccount = "toml"\nmedia = true\n')
    env = {"WA_ARCHIVE_HOME": str(tmp_path)}
    assert Settings.load(env=env).db == "from-toml.db"
    assert Settings.load(env=env).media is True
    env["WA_ARCHIVE_DB"] = "from-env.db"
    assert Settings.load(env=env).db == "from-env.db"
    assert Settings.load(env=env, db="from-flag.db").db == "from-flag.db"
    assert Settings.load(env=env, account=None).account == "toml"


def test_bad_toml_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("db = \n")
    with pytest.raises(UserInputError, match="not valid TOML"):
        Settings.load(env={"WA_ARCHIVE_HOME": str(tmp_path)})
    (tmp_path / "config.toml").write_text('colour = "blue"\n')
    with pytest.raises(UserInputError, match="unknown setting"):
        Settings.load(env={"WA_ARCHIVE_HOME": str(tmp_path)})


def test_passwords_are_masked() -> None:
    s = Settings.load(env={}, home="/tmp/x", db="postgresql://me:hunter2@db:5432/wa")
    assert "hunter2" not in s.db_display
    assert mask_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_every_setting_is_documented() -> None:
    from dataclasses import fields

    from wa_archive.settings import SETTINGS_HELP

    assert {f.name for f in fields(Settings)} == {name for name, _ in SETTINGS_HELP}
