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


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"{LRM}immagine omessa", "image"),
        (f"{LRM}video omesso", "video"),
        (f"{LRM}documento omesso", "document"),
        (f"{LRM}Bild weggelassen", "image"),
        (f"{LRM}Image omitted", "image"),
        (f"{LRM}Contact card omitted", "contact"),
        (f"{LRM}Kontaktkarte weggelassen", "contact"),
        (f"{LRM}tarjeta de contacto omitida", "contact"),
    ],
)
def test_ios_media_omitted_in_many_languages(text: str, kind: str) -> None:
    assert find_attachment(text, ()) == Attachment(kind, None, None)


def test_words_without_the_marks_of_an_omitted_line_stay_text() -> None:
    assert find_attachment("Contact card omitted", ()) is None  # no U+200E: typed by a person
    assert find_attachment(f"{LRM}the contact card was omitted from it", ()) is None


def test_an_attached_vcard_is_a_contact() -> None:
    found = find_attachment(f"{LRM}<attached: 00000012-Anna Smith.vcf>", ())
    assert found == Attachment("contact", "00000012-Anna Smith.vcf", None)
