"""The platform gate: neonize 0.5.2 ships its core only for glibc Linux on x86_64 and aarch64."""

from __future__ import annotations

import platform
import sys

from wa_archive.errors import UnsupportedPlatformError

SUPPORTED_MACHINES = ("x86_64", "amd64", "aarch64", "arm64")


def require_supported_platform() -> None:
    """Raise a clear error before neonize is imported where it would try to download a library."""
    machine = platform.machine().lower()
    if sys.platform != "linux" or machine not in SUPPORTED_MACHINES:
        raise UnsupportedPlatformError(
            f"live capture needs Linux on x86_64 or aarch64 (neonize 0.5.2); this is "
            f"{sys.platform}/{machine or 'unknown'} — imports and queries still work here"
        )
    libc, _version = platform.libc_ver()
    if libc and libc != "glibc":
        raise UnsupportedPlatformError(f"live capture needs glibc ≥ 2.34; this system uses {libc}")
