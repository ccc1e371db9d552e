"""Damaged and wrong inputs: recover what is complete, then one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wa_archive.errors import DamagedInputError, UserInputError, WaArchiveError
from wa_archive.records import Batch
from wa_archive.sources.baileys_store import read_store

from .helpers import ALICE, ORIGINAL, PRETTY, FakeDecoders, dump, identities, load


def _read(path: Path, **kwargs: Any) -> tuple[list[Batch], Any]:
    """Read all batches; return them with the exception raised at the end (or None)."""
    reader = read_store(path, decoders=FakeDecoders().decoders(), **kwargs)
    batches: list[Batch] = []
    try:
        for batch in reader:
            batches.append(batch)
    except WaArchiveError as err:
        return batches, err
    return batches, None


def _full() -> set[tuple[str, str, str]]:
    batches, err = _read(ORIGINAL)
    assert err is None
    return set(identities(batches))


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "baileys_store.json"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("source", [ORIGINAL, PRETTY], ids=["one-line", "pretty"])
def test_every_prefix_reads_a_subset_and_fails_cleanly(source: Path, tmp_path: Path) -> None:
    data, full = source.read_bytes(), _full()
    previous = 0
    for cut in range(0, len(data), 3):
        batches, err = _read(_write(tmp_path, data[:cut]), chunk_size=64)
        complete = not data[cut:].strip()
        assert err is None if complete else isinstance(err, UserInputError), cut
        got = set(identities(batches))
        assert got <= full, cut
        assert len(got) >= previous - 1, cut  # a held revoke stub may pair differently
        previous = len(got)


def test_truncated_mid_message_names_the_message_start(tmp_path: Path) -> None:
    data = ORIGINAL.read_bytes()
    start = data.index(
        b'{"key":{"remoteJid":"15551234567@s.whatsapp.net","fromMe":false,"id":"3A0011'
    )
    batches, err = _read(_write(tmp_path, data[: start + 40]))
    assert isinstance(err, DamagedInputError)
    assert f"damaged at byte {start} of {start + 40}" in str(err)
    assert "file ends in the middle of a value" in str(err)
    ids = {i for _, _, i in identities(batches)}
    assert ids == {
        "3EB0F00DBEEF12345678",  # embedded in the group chat
        "3A5F0C9E2B7D4A1C8E60",
        "3EB0A1B2C3D4E5F60718",
        "3A7B9C1D2E3F40516273",
        "3EB0C0FFEE0000000001",
    }  # the embedded revoke stub waits for its partner, which lies beyond the damage


def test_a_byte_order_mark_is_skipped_and_offsets_still_count_it(tmp_path: Path) -> None:
    """An editor saving the file as "UTF-8 with BOM" must not make it unreadable."""
    data = b"\xef\xbb\xbf" + ORIGINAL.read_bytes()
    batches, err = _read(_write(tmp_path, data))
    assert err is None and set(identities(batches)) == _full()
    start = data.index(b'{"key":{"remoteJid":"15551234567@s.whatsapp.net","fromMe":false')
    _, err = _read(_write(tmp_path, data[: start + 40]))
    assert f"damaged at byte {start} of {start + 40}" in str(err)


def test_offsets_count_bytes_not_characters(tmp_path: Path) -> None:
    data = load()
    data["messages"][ALICE][0]["pushName"] = "Ålice 😀" * 50
    text = dump(data, tmp_path / "full.json").read_bytes()
    start = text.index(
        b'{"key":{"remoteJid":"15551234567@s.whatsapp.net","fromMe":true,"id":"3EB0A1'
    )
    _, err = _read(_write(tmp_path, text[: start + 10]), chunk_size=7)
    assert isinstance(err, DamagedInputError)
    assert f"at byte {start} " in str(err)


def test_nul_tail_after_a_partial_write(tmp_path: Path) -> None:
    data = ORIGINAL.read_bytes()
    cut = data.index(b'{"key":{"remoteJid":"120363041234567890@g.us","fromMe":false,"id":"B94F')
    batches, err = _read(_write(tmp_path, data[: cut + 100] + b"\0" * 4096))
    assert isinstance(err, DamagedInputError)
    assert "NUL bytes" in str(err)
    assert f"at byte {cut + 100} " in str(err)  # the first NUL, inside the message
    assert ("120363041234567890@g.us", "15557654321@s.whatsapp.net", "AC3F61B09E7D2C4518B0") in set(
        identities(batches)
    )


def test_corruption_in_the_middle(tmp_path: Path) -> None:
    data = bytearray(ORIGINAL.read_bytes())
    at = data.index(b'"3A0011223344556677AA"')
    data[at - 3 : at - 1] = b"@@"
    batches, err = _read(_write(tmp_path, bytes(data)))
    assert isinstance(err, DamagedInputError)
    assert "invalid JSON" in str(err)
    assert len(identities(batches)) == 5  # the embedded group message, four complete Alice ones


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (b"", DamagedInputError, "is empty"),
        (b"\0" * 5000, DamagedInputError, "holds NUL bytes"),
        (b"  \n ", DamagedInputError, "is empty"),
        (b"hello world", UserInputError, "not JSON"),
        (b"\x1f\x8b\x08\x00rest", UserInputError, "gzip-compressed: decompress it first"),
        (b"PK\x03\x04rest", UserInputError, "a zip archive: extract the store file"),
        (b"{hello", UserInputError, "not a Baileys store file"),
        (b"[1, 2, 3]", UserInputError, "a JSON array"),
        (b'{"foo": [1, {"bar": 2}]}', UserInputError, "without chats, contacts or messages"),
        (b"{}", UserInputError, "without chats, contacts or messages"),
        (b'{"cha', DamagedInputError, "damaged at byte 1 of 5"),
        (b'{"chats": [', DamagedInputError, "damaged at byte 11 of 11"),
        (b'{"chats": []', DamagedInputError, "file ends where ',' or '}' was expected"),
    ],
)
def test_bad_inputs_give_one_clear_line(
    content: bytes, error: type[Exception], words: str, tmp_path: Path
) -> None:
    batches, err = _read(_write(tmp_path, content))
    assert type(err) is error
    assert words in str(err)
    assert "\n" not in str(err)
    assert batches == []


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="no such file"):
        read_store(tmp_path / "nope.json")
    with pytest.raises(UserInputError, match="is a directory"):
        read_store(tmp_path)


def test_trailing_garbage_after_a_complete_store_is_counted(tmp_path: Path) -> None:
    batches, err = _read(_write(tmp_path, ORIGINAL.read_bytes() + b"\0\0\0"))
    assert err is None
    assert set(identities(batches)) == _full()
