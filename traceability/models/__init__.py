"""Origins (provinces after the 2025 merger, villages), each batch's chained event log and
its signed checkpoints, scan counts, buyers' reports, recalls and corrections."""

from traceability.models.checkpoints import Checkpoint, CheckpointHead
from traceability.models.events import EventKind, TraceEvent
from traceability.models.origins import Province, Village, validate_gln
from traceability.models.recalls import (
    BatchCorrection,
    CorrectedField,
    NoticeAction,
    NoticeStatus,
    Recall,
    RecallNotice,
)
from traceability.models.reports import ReportReason, SuspiciousProductReport
from traceability.models.scans import ScanCount, ScanFlush

__all__ = [
    "BatchCorrection",
    "Checkpoint",
    "CheckpointHead",
    "CorrectedField",
    "EventKind",
    "NoticeAction",
    "NoticeStatus",
    "Province",
    "Recall",
    "RecallNotice",
    "ReportReason",
    "ScanCount",
    "ScanFlush",
    "SuspiciousProductReport",
    "TraceEvent",
    "Village",
    "validate_gln",
]
