"""Helpers for the chat-export tests: fixture paths and a one-call parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from wa_archive.records import Batch
from wa_archive.sources.chat_export import ExportResult, parse_chat_export

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "chat_export"


def fixture(name: str) -> Path:
    """The path of a chat-export fixture file."""
    return FIXTURES / name


def parse_all(path: Path, **options: object) -> tuple[ExportResult, Batch]:
    """Parse an export and merge all its batches."""
    result = parse_chat_export(path, **options)  # type: ignore[arg-type]
    return result, result.collect()


@pytest.fixture
def fixtures_dir() -> Path:
    """The directory of the chat-export fixtures."""
    return FIXTURES
