"""How a recorded value is written into the log: compact, JSON-safe, secrets redacted."""

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

REDACTED = "[redacted]"
LONGEST = 200
"""Characters of a text value kept in the log; longer ones end with an ellipsis."""

SECRET = re.compile(r"password|secret|token|_hash$|^hash$", re.IGNORECASE)
"""Column names whose values never reach the log (password and secret hashes, token digests)."""


def is_secret(column: str) -> bool:
    """Whether a column holds a secret, or a hash of one, that the log must not show."""
    return bool(SECRET.search(column))


def compact(column: str, value: Any) -> Any:
    """A value as the log stores it: numbers and booleans as they are, the rest as short text."""
    if is_secret(column):
        return REDACTED
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"
