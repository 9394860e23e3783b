from enum import StrEnum


class TraceabilityErrorCode(StrEnum):
    """Machine-readable codes carried by traceability's ``ValidationError``s and API errors."""

    INVALID = "invalid"
    REQUIRED = "required"
    TOO_MANY = "too_many"
    JOB_RUNNING = "job_running"
    NO_ITEMS = "no_items"
    INVALID_JSON = "invalid_json"
    UNSUPPORTED_EVENT_TYPE = "unsupported_event_type"
    UNSUPPORTED_BIZ_STEP = "unsupported_biz_step"
    INVALID_ACTION = "invalid_action"
    INVALID_TIME = "invalid_time"
    UNKNOWN_EPC = "unknown_epc"
    MIXED_LOTS = "mixed_lots"
    DUPLICATE_EVENT = "duplicate_event"
    FORBIDDEN = "forbidden"
    QUOTA_SERIALS_PER_DAY = "quota_serials_per_day"
    QUOTA_PENDING_JOBS = "quota_pending_jobs"
    LABEL_SHEET_TOO_LARGE = "label_sheet_too_large"
