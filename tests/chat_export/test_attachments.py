"""Attachment markers recognised by shape: iOS omitted media, including named documents."""

from __future__ import annotations

import pytest

from wa_archive.sources.chat_export.attachments import Attachment, find_attachment

LRM = "\u200e"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"{LRM}Menu.pdf • {LRM}3 pages {LRM}document omitted", Attachment("document", None, None)),
        (f"Menu.pdf • {LRM}1 page {LRM}document omitted", Attachment("document", None, None)),
        (
            f"{LRM}Vertrag 2021.pdf • {LRM}2 Seiten {LRM}Dokument weggelassen",
            Attachment("document", None, None),
        ),
        (f"{LRM}Plan final.dwg {LRM}document omitted", Attachment("document", None, None)),
        ("Menu.pdf • 3 pages document omitted, he said", None),
        ("read Menu.pdf • it is good", None),
    ],
)
def test_ios_named_document_omitted(text: str, found: Attachment | None) -> None:
    assert find_attachment(text, ()) == found
