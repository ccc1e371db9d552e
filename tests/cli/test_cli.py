"""The CLI end to end (typer's runner): tables, --json, one-line errors with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wa_archive import Archive, Batch
from wa_archive.interfaces.cli import app, main
from wa_archive.records import MessageRecord
from wa_archive.store import migrate

ALICE = "15551234567@s.whatsapp.net"
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "a.db"
    with Archive.open(path) as archive:
        account = archive.ensure_account("default")
        archive.write(account, Batch(messages=[
            MessageRecord(chat=ALICE, sender=ALICE, id=f"M{i}", from_me=False,
                          timestamp=1_717_000_000_000 + i * 1000, content_type="conversation",
                          text=f"hello {i}", raw=b"{}", richness=20_000_002)
            for i in range(5)
        ]))  # fmt: skip
    return str(path)


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "new.db"), "db", "upgrade"])
    head = migrate.head_revision()
    assert result.exit_code == 0 and f"schema at {head}" in result.output


def test_chats_messages_stats(db: str) -> None:
    chats = runner.invoke(app, ["--db", db, "chats", "--json"])
    assert chats.exit_code == 0
    assert [c["jid"] for c in json.loads(chats.output)] == [ALICE]
    page = runner.invoke(app, ["--db", db, "messages", ALICE, "--limit", "2", "--json"])
    assert [m["text"] for m in json.loads(page.output)] == ["hello 4", "hello 3"]
    older = runner.invoke(app, ["--db", db, "messages", ALICE, "--before", "M3", "--json"])
    assert [m["id"] for m in json.loads(older.output)] == ["M2", "M1", "M0"]
    stats = runner.invoke(app, ["--db", db, "stats"])
    assert stats.exit_code == 0 and "5 messages in 1 chats" in stats.output


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["messages", "nobody@s.whatsapp.net"], "no chat 'nobody@s.whatsapp.net'", 2),
        (["--account", "ghost", "chats"], "no account 'ghost'", 2),
        (["messages", ALICE, "--before", "M1", "--after", "M2"], "either --before or --after", 2),
    ],
)
def test_user_mistakes_are_one_line(
    db: str, args: list[str], message: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db, *args])
    err = capsys.readouterr().err
    assert exit_info.value.code == code
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unreachable_database_hides_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", "postgresql://me:hunter2@127.0.0.1:1/x", "chats"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 3 and "hunter2" not in err and "cannot open" in err


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat_export"


def test_import_chat_export_is_idempotent(tmp_path: Path) -> None:
    export = str(FIXTURES / "WhatsApp Chat with Anna Smith.txt")
    args = ["--home", str(tmp_path), "--db", str(tmp_path / "a.db"), "import", "chat-export"]
    first = runner.invoke(app, [*args, export, "--me", "Bob", "--json"])
    again = runner.invoke(app, [*args, export, "--me", "Bob", "--json"])
    assert first.exit_code == 0 and again.exit_code == 0
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert one["new"] == one["messages"] + one["system"] > 0
    assert (two["new"], two["unchanged"]) == (0, one["new"])


def test_import_of_a_non_export_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "--db",
                str(tmp_path / "a.db"),
                "import",
                "chat-export",
                str(FIXTURES / "not_an_export.txt"),
            ]
        )
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "not a WhatsApp chat export" in err
    assert len(err.strip().splitlines()) == 1


def test_tables_show_brackets_and_edit_and_deletion_marks(tmp_path: Path) -> None:
    """Archive text is never read as Rich markup: ``[1/2]`` and ``[Work]`` keep their brackets."""
    path = tmp_path / "WhatsApp Chat with [Work] Team.txt"
    path.write_text(
        "12/01/2024, 10:30 - Ann: [1/2] agenda\n"
        "12/01/2024, 10:31 - Ann: at 3pm <This message was edited>\n"
        "12/01/2024, 10:32 - Bob: This message was deleted\n"
        "12/01/2024, 10:33 - Bob: [b]bold[/b]\n",
        encoding="utf-8",
    )
    args = ["--home", str(tmp_path), "--db", str(tmp_path / "a.db")]
    imported = runner.invoke(app, [*args, "import", "chat-export", str(path), "--me", "Ann"])
    assert "[Work] Team: 4 messages (1 edited, 1 deleted)" in imported.stdout
    (chat,) = json.loads(runner.invoke(app, [*args, "chats", "--json"]).stdout)
    assert "[Work] Team" in runner.invoke(app, [*args, "chats"]).stdout
    page = runner.invoke(app, [*args, "messages", chat["jid"]]).stdout
    for shown in ("[1/2] agenda", "at 3pm [edited]", "[deleted]", "[b]bold[/b]"):
        assert shown in page


def test_several_exports_import_in_one_call_and_a_bad_one_does_not_stop_the_rest(
    tmp_path: Path,
) -> None:
    args = ["--home", str(tmp_path), "--db", str(tmp_path / "a.db"), "import", "chat-export"]
    anna = str(FIXTURES / "WhatsApp Chat with Anna Smith.txt")
    bad = str(FIXTURES / "not_an_export.txt")
    family = str(FIXTURES / "WhatsApp Chat mit Familie.txt")
    result = runner.invoke(app, [*args, anna, bad, family, "--json"])
    assert result.exit_code == 2
    reports = json.loads(result.stdout)
    assert [r["path"] for r in reports] == [anna, bad, family]
    assert [r["error"] is None for r in reports] == [True, False, True]
    assert "not a WhatsApp chat export" in reports[1]["error"]
    assert reports[0]["name"] == "Anna Smith" and reports[2]["name"] == "Familie"
    assert reports[0]["new"] > 0 and reports[2]["new"] > 0
    assert "error: " in result.stderr and "not_an_export.txt" in result.stderr
    again = runner.invoke(app, [*args, anna, family])
    assert again.exit_code == 0
    assert again.stdout.count("0 new") == 2


def test_chat_option_with_several_exports_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = str(FIXTURES / "WhatsApp Chat with Anna Smith.txt")
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "a.db"), "import", "chat-export", anna, anna,
              "--chat", "15550001111@s.whatsapp.net"])  # fmt: skip
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "give one file with it" in err
