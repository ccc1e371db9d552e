"""Import WhatsApp's own "Export chat" files (``.txt``, or ``.zip`` with attachments) as records.

``parse_chat_export`` checks the file and scans it once (date order, senders, chat identity),
then returns an ``ExportResult`` whose ``batches`` iterator parses it a second time and yields
``records.Batch`` chunks of about ``batch_size`` messages, so memory stays flat for big files.
Stage modules: ``files`` (opening), ``grammar`` (lines), ``dates`` (date order), ``parse``
(the two passes), ``plan`` (who is who), ``attachments``, ``markers`` (edited and deleted
notices), ``convert`` (records).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wa_archive.errors import UserInputError
from wa_archive.media_store import MediaStore
from wa_archive.records import OWN, Batch, ChatRecord, ContactRecord

from .convert import Converter
from .counts import ExportCounts
from .dates import DATE_ORDERS, DateOrder, OrderDecision, infer_date_order
from .files import ExportFile
from .markers import edit_labels
from .names import phone_digits, unsaved_name
from .parse import notice_senders, parse_lines, scan_lines
from .plan import ChatPlan, plan_chat

__all__ = ["ExportCounts", "ExportResult", "parse_chat_export"]

BATCH_SIZE = 5000


@dataclass
class ExportResult:
    """One export: its chat, how its dates were read, and its batches (consume them once).

    ``counts`` is final once ``batches`` is exhausted. ``date_order_certain`` is False when
    the file could be read either way and the default (day-first) or a heuristic decided;
    ``notes`` holds such hints for the user.
    """

    path: Path
    chat: str
    chat_name: str | None
    is_group: bool
    me: str | None
    date_order: DateOrder
    date_order_certain: bool
    batches: Iterator[Batch]
    counts: ExportCounts = field(default_factory=ExportCounts)
    notes: list[str] = field(default_factory=list)

    def collect(self) -> Batch:
        """Every batch merged into one (for small exports and tests)."""
        merged = Batch()
        for batch in self.batches:
            merged.extend(batch)
        return merged


def parse_chat_export(
    path: Path,
    *,
    chat: str | None = None,
    me: str | None = None,
    tz: str | None = None,
    media_store: MediaStore | None = None,
    date_order: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> ExportResult:
    """Open and scan an export; raise ``UserInputError`` naming the file if it is not one."""
    path = Path(path)
    zone = _zone(tz)
    hint = _date_order(date_order)
    export = ExportFile(path)
    scan = scan_lines(export.lines(), str(path), export.members)
    decision = infer_date_order(scan.dates, hint)
    plan = plan_chat(list(scan.senders), export.stem, chat, me, notice_senders(scan))
    result = ExportResult(
        path=path,
        chat=plan.jid,
        chat_name=plan.name,
        is_group=plan.is_group,
        me=plan.me,
        date_order=decision.order,
        date_order_certain=decision.certain,
        batches=iter(()),
        notes=list(plan.notes) + _scan_notes(decision, scan.unknown_markers),
    )
    converter = Converter(plan, export, result.counts, zone, media_store, edit_labels(scan.edited))
    result.batches = _batches(export, plan, converter, decision.order, batch_size)
    return result


def _batches(
    export: ExportFile, plan: ChatPlan, converter: Converter, order: DateOrder, size: int
) -> Iterator[Batch]:
    """The second pass: batches of about ``size`` messages, the chat and contacts first."""
    batch = Batch(chats=[ChatRecord(jid=plan.jid, name=plan.name)], contacts=_contacts(plan))
    for parsed in parse_lines(export.lines(), order, converter.counts.skipped):
        batch.add(converter.convert(parsed))
        if len(batch.messages) >= size:
            yield batch
            batch = Batch()
    if len(batch):
        yield batch


def _contacts(plan: ChatPlan) -> list[ContactRecord]:
    """A contact per sender other than the owner (and other than an iOS group's own name).

    A number gives the contact's phone number, ``~ Name`` its push name, any other name the
    name saved in the exporting phone.
    """
    contacts = []
    for name, jid in plan.senders.items():
        if jid == OWN or (plan.is_group and name in plan.notice_names):
            continue
        digits = phone_digits(name)
        pushed = unsaved_name(name)
        if digits is not None:
            contacts.append(ContactRecord(jid=jid, phone_number=digits))
        elif pushed is not None:
            contacts.append(ContactRecord(jid=jid, push_name=pushed))
        else:
            contacts.append(ContactRecord(jid=jid, saved_name=name))
    return contacts


def _zone(tz: str | None) -> ZoneInfo | None:
    """The time zone named by ``--tz``; None means local times are taken as UTC."""
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UserInputError(
            f"unknown time zone {tz!r} (use an IANA name like Europe/Berlin)"
        ) from exc


def _date_order(value: str | None) -> DateOrder | None:
    """The ``date_order`` option checked against the known orders."""
    if value is None:
        return None
    for order in DATE_ORDERS:
        if value.lower() == order:
            return order
    raise UserInputError(f"unknown date order {value!r}; use one of {', '.join(DATE_ORDERS)}")


def _scan_notes(decision: OrderDecision, markers: set[str]) -> list[str]:
    """Hints for the user about guesses made while reading the file."""
    notes = []
    if not decision.certain:
        notes.append(
            f"dates could be read more than one way; read as {decision.order} "
            "(choose with --date-order dmy|mdy|ymd|ydm)"
        )
    if markers:
        notes.append(f"unknown am/pm markers taken as 24-hour times: {', '.join(sorted(markers))}")
    return notes
