"""Times as Helm prints them: Go's reference-time layouts (``list --time-format``).

Helm formats a release's time with Go's ``time.Time.Format(layout)``, where the layout is
the reference time ``Mon Jan 2 15:04:05 MST 2006`` written as wanted (``2006-01-02``).
The chunks are Go's documented ones, found as Go's formatter finds them (longest first;
``Jan`` and ``Mon`` only when no lower-case letter follows; a fraction only when no digit
follows its run of ``0`` or ``9``; ``_2006`` is ``_`` and the year); anything else is
printed as written.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["go_duration", "go_format", "helm_time", "parse_rfc3339"]

_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)"
)


#: Go's duration units (``time.ParseDuration``), in seconds: µ is the micro sign or the Greek mu.
_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0,
          "m": 60.0, "h": 3600.0}  # fmt: skip
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]+)")


def go_duration(text: str) -> float | None:
    """Seconds of a Go duration as ``time.ParseDuration`` reads it (``1h30m``, ``1.5m``,
    ``500ms``, ``-2s``, ``0``); None when Go would refuse it (``5``, ``5 m``, ``1d``)."""
    sign, rest = (-1.0, text[1:]) if text[:1] == "-" else (1.0, text.removeprefix("+"))
    if rest == "0":
        return 0.0
    total, at = 0.0, 0
    for match in _DURATION_PART.finditer(rest):
        number, unit = match.groups()
        if match.start() != at or number in ("", ".") or unit not in _UNITS:
            return None
        total += float(number) * _UNITS[unit]
        at = match.end()
    return sign * total if rest and at == len(rest) else None


def parse_rfc3339(text: str) -> tuple[dt.datetime, int] | None:
    """The time of an RFC 3339 string with its nanoseconds (Python keeps microseconds);
    None when ``text`` is not one."""
    match = _RFC3339.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7) or "", match.group(8)
    nanos = int((fraction + "000000000")[:9])
    if zone in ("Z", "z"):
        tz = dt.UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    when = dt.datetime(year, month, day, hour, minute, second, nanos // 1000, tzinfo=tz)
    return when, nanos


#: Go's layout chunks, longest first where one begins another.
_CHUNKS = (
    "January", "Jan", "Monday", "Mon", "MST",
    "2006", "002", "__2", "_2", "01", "02", "03", "04", "05", "06",
    "15", "1", "2", "3", "4", "5",
    "PM", "pm",
    "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
    "-07:00:00", "-070000", "-07:00", "-0700", "-07",
)  # fmt: skip


def _chunk_at(layout: str, i: int) -> str | None:
    for chunk in _CHUNKS:
        if not layout.startswith(chunk, i):
            continue
        if chunk in ("Jan", "Mon"):
            rest = layout[i + 3 : i + 4]
            if rest.islower():  # "Janx", "Month": words, not chunks ("January"/"Monday" above)
                return None
            return chunk
        if chunk == "_2" and layout.startswith("_2006", i):
            return None  # "_" then the year, as Go reads it
        return chunk
    return None


def _fraction_at(layout: str, i: int) -> int:
    """The length of a fraction chunk (``.000``, ``,999``) at ``i``, else 0."""
    if layout[i] not in ".," or i + 1 >= len(layout) or layout[i + 1] not in "09":
        return 0
    digit = layout[i + 1]
    j = i + 1
    while j < len(layout) and layout[j] == digit:
        j += 1
    if j < len(layout) and layout[j].isdigit():
        return 0
    return j - i


def _zone(offset: dt.timedelta, chunk: str, name: str) -> str:
    seconds = int(offset.total_seconds())
    if chunk.startswith("Z") and seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hh, mm, ss = seconds // 3600, seconds // 60 % 60, seconds % 60
    body = chunk.lstrip("Z-")
    if body == "07":
        return f"{sign}{hh:02d}"
    if body == "0700":
        return f"{sign}{hh:02d}{mm:02d}"
    if body == "07:00":
        return f"{sign}{hh:02d}:{mm:02d}"
    if body == "070000":
        return f"{sign}{hh:02d}{mm:02d}{ss:02d}"
    return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}"


def go_format(when: dt.datetime, layout: str, nanos: int | None = None) -> str:
    """``when`` formatted as Go's ``Time.Format(layout)`` formats it.

    ``nanos``: the nanoseconds of the second (Python's datetime holds microseconds). A
    zone without a name prints as its offset, as Go prints a fixed zone; UTC is ``UTC``.
    """
    if nanos is None:
        nanos = when.microsecond * 1000
    offset = when.utcoffset() or dt.timedelta(0)
    name = "UTC" if when.tzinfo is not None and offset == dt.timedelta(0) else ""
    out: list[str] = []
    i = 0
    while i < len(layout):
        size = _fraction_at(layout, i)
        if size:
            digits = f"{nanos:09d}"[: size - 1]
            if layout[i + 1] == "9":
                digits = digits.rstrip("0")
                out.append(layout[i] + digits if digits else "")
            else:
                out.append(layout[i] + digits)
            i += size
            continue
        chunk = _chunk_at(layout, i)
        if chunk is None:
            out.append(layout[i])
            i += 1
            continue
        out.append(_render(when, chunk, offset, name))
        i += len(chunk)
    return "".join(out)


def _render(when: dt.datetime, chunk: str, offset: dt.timedelta, name: str) -> str:
    hour12 = when.hour % 12 or 12
    simple = {
        "January": _MONTHS[when.month - 1],
        "Jan": _MONTHS[when.month - 1][:3],
        "Monday": _DAYS[when.weekday()],
        "Mon": _DAYS[when.weekday()][:3],
        "2006": f"{when.year:04d}",
        "06": f"{when.year % 100:02d}",
        "01": f"{when.month:02d}",
        "1": str(when.month),
        "02": f"{when.day:02d}",
        "_2": f"{when.day:2d}",
        "2": str(when.day),
        "002": f"{when.timetuple().tm_yday:03d}",
        "__2": f"{when.timetuple().tm_yday:3d}",
        "15": f"{when.hour:02d}",
        "03": f"{hour12:02d}",
        "3": str(hour12),
        "04": f"{when.minute:02d}",
        "4": str(when.minute),
        "05": f"{when.second:02d}",
        "5": str(when.second),
        "PM": "PM" if when.hour >= 12 else "AM",
        "pm": "pm" if when.hour >= 12 else "am",
    }
    if chunk in simple:
        return simple[chunk]
    if chunk == "MST":
        return name or _zone(offset, "-0700", name)
    return _zone(offset, chunk, name)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def helm_time(text: str, layout: str) -> str:
    """An RFC 3339 time from Helm's record in ``layout``; other text as it is."""
    parsed = parse_rfc3339(text)
    return text if parsed is None else go_format(parsed[0], layout, parsed[1])
