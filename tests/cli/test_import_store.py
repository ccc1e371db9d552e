"""``wa-archive import baileys-store``: summaries, --json, idempotence, one-line errors."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from wa_archive import Archive
from wa_archive.interfaces.cli import app, main
from wa_archive.store.schema import messages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "baileys_store"
ORIGINAL = FIXTURES / "baileys_store_v6_example.json"
PRETTY = FIXTURES / "baileys_store_v6_example.pretty.json"
runner = CliRunner()


def _args(tmp_path: Path) -> list[str]:
    return ["--home", str(tmp_path), "--db", str(tmp_path / "a.db"), "import", "baileys-store"]


def _stored(tmp_path: Path) -> int:
    with Archive.open(tmp_path / "a.db") as archive, archive.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(messages)).scalar_one())


def test_import_prints_one_summary_line_per_file(tmp_path: Path) -> None:
    result = runner.invoke(app, [*_args(tmp_path), str(ORIGINAL), str(PRETTY)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{ORIGINAL}: 16 messages read (14 new, 0 updated, 2 duplicates)")
    assert lines[1].startswith(f"{PRETTY}: 16 messages read (0 new, 0 updated, 2 duplicates)")


def test_json_reimport_is_idempotent(tmp_path: Path) -> None:
    first = runner.invoke(app, [*_args(tmp_path), str(ORIGINAL), "--json"])
    again = runner.invoke(app, [*_args(tmp_path), str(ORIGINAL), "--json"])
    assert first.exit_code == 0 and again.exit_code == 0
    (one,), (two,) = json.loads(first.stdout), json.loads(again.stdout)
    assert (one["messages_read"], one["messages_new"], one["error"]) == (16, 14, None)
    assert (two["messages_new"], two["messages_updated"], two["duplicates"]) == (0, 0, 2)
    assert one["layout"]["messages"] == "object"
    assert _stored(tmp_path) == 14


def test_damaged_file_keeps_what_came_before_and_fails(tmp_path: Path) -> None:
    data = ORIGINAL.read_bytes()
    cut = data.index(b'{"key":{"remoteJid":"120363041234567890@g.us","fromMe":false,"id":"B94F')
    damaged = tmp_path / "baileys_store.json"
    damaged.write_bytes(data[: cut + 50])
    result = runner.invoke(app, [*_args(tmp_path), str(damaged)])
    assert result.exit_code == 2
    assert f"{damaged}: recovered 12 messages read (11 new" in result.stdout
    error = result.stderr.strip().splitlines()
    assert len(error) == 1 and f"damaged at byte {cut} of {cut + 50}" in error[0]
    assert "imported everything before it: 12 messages (11 new)" in error[0]
    as_json = runner.invoke(app, [*_args(tmp_path), str(damaged), "--json"])
    (report,) = json.loads(as_json.stdout)
    assert as_json.exit_code == 2 and report["damaged_at"] == cut and report["messages_new"] == 0
    assert f"byte {cut}" in report["error"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such file"),
        (b"[1, 2]", "not a Baileys store file (a JSON array)"),
        (b"not json at all", "not a Baileys store file (not JSON)"),
        (b"", "is empty"),
    ],
)
def test_bad_files_are_one_line_with_exit_code_2(
    tmp_path: Path, content: bytes | None, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "baileys_store.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_info:
        main([*_args(tmp_path), str(path)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 2
    assert words in captured.err and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert _stored(tmp_path) == 0


def test_a_bad_file_does_not_stop_the_next_one(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = runner.invoke(app, [*_args(tmp_path), str(missing), str(ORIGINAL)])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert f"{ORIGINAL}: 16 messages read (14 new" in result.stdout


def test_a_terminal_shows_a_bar_of_bytes_and_messages_then_clears_it(tmp_path: Path) -> None:
    """On a real pseudo-terminal: the Rich bar on stderr, the summary alone on stdout."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    code = "from wa_archive.interfaces.cli import main; main()"
    args = ["--home", str(tmp_path), "import", "baileys-store", str(ORIGINAL)]
    with subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=slave, env=env
    ) as proc:
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child has closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        assert proc.stdout is not None
        stdout = proc.stdout.read().decode()
    os.close(master)
    assert proc.returncode == 0
    screen = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", shown).decode()
    size_kb = f"{ORIGINAL.stat().st_size / 1000:.1f}"
    assert f"{ORIGINAL.name} " in screen
    assert f"{size_kb}/{size_kb} kB" in screen and "16 messages" in screen
    assert shown.endswith(b"\x1b[2K")  # the bar is erased once the import is done
    assert stdout.startswith(f"{ORIGINAL}: 16 messages read (14 new,")
