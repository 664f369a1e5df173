"""String formats the OpenAPI document declares, enforced exactly as declared (no more, no less)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    StringConstraints,
    WithJsonSchema,
)

# RFC 3339 date-time, what OpenAPI's `format: date-time` means (pydantic alone also takes 0).
DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:\d\d)")


def _rfc3339(value: Any) -> Any:
    """Only an RFC 3339 string is a time here (no numbers as Unix times)."""
    if not isinstance(value, str) or not DATE_TIME.fullmatch(value):
        raise ValueError("must be an RFC 3339 time with a time zone, e.g. 2026-01-31T09:00:00Z")
    return value


def in_utc_range(value: datetime) -> datetime:
    """A time that exists in UTC too (year 1 to 9999): 0001-01-01T00:00-01:00 does not."""
    try:
        value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("is out of range once converted to UTC (years 1 to 9999)") from exc
    return value


DateTime = Annotated[AwareDatetime, BeforeValidator(_rfc3339), AfterValidator(in_utc_range)]


def _addr_spec(value: str) -> str:
    """An RFC 5322 address (what OpenAPI's `format: email` means), or ValueError."""
    try:
        Address(addr_spec=value)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise ValueError("not an e-mail address (RFC 5322 addr-spec)") from exc
    return value


# The schema says `format: email`, and every address that format allows is accepted.
Email = Annotated[
    str,
    StringConstraints(max_length=254),
    AfterValidator(_addr_spec),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 254}),
]
