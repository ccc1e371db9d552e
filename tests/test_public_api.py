"""The deliberate public surface: what users import from ``wa_archive``."""

from __future__ import annotations

import wa_archive


def test_public_names_are_pinned() -> None:
    assert sorted(wa_archive.__all__) == sorted([
        "OWN", "Archive", "Batch", "DamagedInputError", "DatabaseError", "Settings",
        "UnknownChatError", "UserInputError", "WaArchiveError", "WriteReport", "__version__",
    ])  # fmt: skip
    for name in wa_archive.__all__:
        assert getattr(wa_archive, name) is not None


def test_every_user_error_is_a_wa_archive_error() -> None:
    for cls in (wa_archive.UserInputError, wa_archive.UnknownChatError,
                wa_archive.DamagedInputError, wa_archive.DatabaseError):  # fmt: skip
        assert issubclass(cls, wa_archive.WaArchiveError)
