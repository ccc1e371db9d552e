"""Live capture through neonize: pair once, sync history once, archive every event after.

``client`` is the only module that imports neonize (after a platform check); ``handlers``
journals every event before decoding it; ``policy`` holds the ban-safe rules; ``runner`` runs
one thread per account; ``snapshots`` and ``media`` do the gentle extras.
"""
