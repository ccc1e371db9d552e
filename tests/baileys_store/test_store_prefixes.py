"""Property: any prefix of a valid store file imports without a crash, as a subset of the whole."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wa_archive import Archive
from wa_archive.errors import WaArchiveError
from wa_archive.sources.baileys_store import import_baileys_store

from .helpers import ORIGINAL, PRETTY, dump, keys, load

_accounts = itertools.count()


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """One SQLite archive shared by every example; each example gets its own account."""
    path = tmp_path_factory.mktemp("prefixes") / "archive.db"
    archive = Archive.open(path)
    yield archive
    archive.close()


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The genuine files plus a reordered, object-keyed variant."""
    data = load()
    data["chats"] = {c["id"]: c for c in data["chats"]}
    odd = dict(reversed(list(data.items())))
    odd_path = dump(odd, tmp_path_factory.mktemp("odd") / "odd.json", indent=2)
    return {p.name: p.read_bytes() for p in (ORIGINAL, PRETTY, odd_path)}


def _import(
    archive: Archive, data: bytes, directory: Path
) -> tuple[int, set[tuple[str, str, str]]]:
    account = archive.ensure_account(f"prefix-{next(_accounts)}")
    path = directory / f"store-{account}.json"
    path.write_bytes(data)
    try:
        import_baileys_store(archive, account, path, batch_size=4)
    except WaArchiveError:
        pass  # the only kind of error allowed to escape
    finally:
        path.unlink()
    return account, keys(archive, account)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_prefix_imports_a_subset(
    data: st.DataObject,
    sqlite_archive: Archive,
    sources: dict[str, bytes],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    name = data.draw(st.sampled_from(sorted(sources)))
    whole = sources[name]
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    directory = tmp_path_factory.getbasetemp()
    _, full = _import(sqlite_archive, whole, directory)
    _, part = _import(sqlite_archive, whole[:cut], directory)
    assert part <= full


def test_prefixes_cover_the_whole_range(sqlite_archive: Archive, tmp_path: Path) -> None:
    whole = ORIGINAL.read_bytes()
    _, full = _import(sqlite_archive, whole, tmp_path)
    sizes = [
        len(_import(sqlite_archive, whole[:cut], tmp_path)[1]) for cut in range(0, len(whole), 97)
    ]
    assert sizes[0] == 0 and max(sizes) <= len(full) == 14
    assert sizes == sorted(sizes)
    shutil.rmtree(tmp_path, ignore_errors=True)
