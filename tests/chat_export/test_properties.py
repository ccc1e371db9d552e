"""Random text and random mutations of real exports never raise anything but UserInputError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wa_archive.errors import UserInputError
from wa_archive.sources.chat_export import parse_chat_export

from .conftest import FIXTURES

SEEDS = sorted(p.read_bytes() for p in FIXTURES.glob("*.txt"))


def parse_bytes(data: bytes) -> None:
    """Parse ``data`` as an export file, accepting only the user error."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "WhatsApp Chat with Someone.txt"
        path.write_bytes(data)
        try:
            result = parse_chat_export(path, me="Bob", tz="Europe/Berlin")
            batch = result.collect()
        except UserInputError:
            return
        assert result.counts.messages + result.counts.system == len(batch.messages)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    parse_bytes(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 4000), st.binary(max_size=6), st.integers(0, 8)), max_size=6),
)
def test_mutated_exports(seed: bytes, edits: list[tuple[int, bytes, int]]) -> None:
    data = bytearray(seed)
    for position, insert, delete in edits:
        at = position % (len(data) + 1)
        data[at : at + delete] = insert
    parse_bytes(bytes(data))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SEEDS), st.integers(0, 4000))
def test_truncated_exports(seed: bytes, cut: int) -> None:
    parse_bytes(seed[: cut % (len(seed) + 1)])
