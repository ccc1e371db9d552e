"""Interfaces: thin shells (CLI today; HTTP and MCP later) over ``wa_archive.Archive``."""
