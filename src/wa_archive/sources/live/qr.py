"""Showing pairing material: the rotating QR code in the terminal (and as PNG), the pair code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import segno


def show_qr(console: Any, data: bytes, png: Path | None = None) -> None:
    """Render a QR payload in the terminal (each rotation replaces the previous one)."""
    qr = segno.make_qr(data)
    console.clear()
    console.print("Scan with WhatsApp → Linked devices → Link a device (the code rotates):")
    qr.terminal(compact=True)
    if png is not None:
        qr.save(str(png), scale=8)
        console.print(f"QR code also written to {png}")


def show_pair_code(console: Any, code: str) -> None:
    """Show the 8-character pairing code to type on the phone."""
    console.print(
        f"On the phone: Linked devices → Link with phone number instead → enter [bold]{code}[/]"
    )
