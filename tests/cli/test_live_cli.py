"""Live-capture commands on an archive with no paired device: clear refusals, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from wa_archive.interfaces.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--all"], "no paired accounts; run `wa-archive login` first"),
        (["run", "--account", "x", "--all"], "either --account NAME or --all"),
        (["logout"], "account 'default' has no linked device"),
    ],
)
def test_unpaired_archive_refuses_with_one_line(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--home", str(tmp_path), *args])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_accounts_lists_nothing_on_a_fresh_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--home", str(tmp_path), "accounts"])
    assert exit_info.value.code == 0
    assert "account" in capsys.readouterr().out
