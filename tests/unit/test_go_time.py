"""Go's reference-time layouts (``list --time-format``), chunk by chunk as Go's docs define them.

The expected strings are what Go's ``Time.Format`` prints for these times: the layouts
are Go's own named ones (``time.ANSIC``, ``time.RFC1123``...) and the rules its
documentation states (``_2`` pads with a space, ``.999`` drops trailing zeros, ``Z07:00``
prints ``Z`` for UTC, a zone without a name prints as its offset).
"""

from __future__ import annotations

import pytest

from chartsafe._go_time import go_format, parse_rfc3339

UTC_TIME = "2026-03-04T05:06:07.080900100Z"  # a Wednesday, day 63 of the year
OFFSET_TIME = "2026-12-31T23:59:59+05:30"

CASES = [
    (UTC_TIME, "Mon Jan _2 15:04:05 2006", "Wed Mar  4 05:06:07 2026"),  # ANSIC
    (UTC_TIME, "Mon, 02 Jan 2006 15:04:05 MST", "Wed, 04 Mar 2026 05:06:07 UTC"),  # RFC1123
    (UTC_TIME, "Monday, 02-Jan-06 15:04:05 MST", "Wednesday, 04-Mar-26 05:06:07 UTC"),  # RFC850
    (UTC_TIME, "2006-01-02T15:04:05Z07:00", "2026-03-04T05:06:07Z"),  # RFC3339
    (UTC_TIME, "2006-01-02T15:04:05.999999999Z07:00", "2026-03-04T05:06:07.0809001Z"),
    (UTC_TIME, "3:04PM", "5:06AM"),  # Kitchen
    (UTC_TIME, "Jan _2 15:04:05.000", "Mar  4 05:06:07.080"),  # StampMilli
    (UTC_TIME, "2006-01-02", "2026-03-04"),  # DateOnly
    (UTC_TIME, "January 2, 2006 03:04 pm", "March 4, 2026 05:06 am"),
    (UTC_TIME, "002 __2 ,999 .9", "063  63 ,08 "),
    (UTC_TIME, "Month Janx _2006 1/2", "Month Janx _2026 3/4"),  # words and "_" stay
    (UTC_TIME, "2006-01-02 15:04:05.999999999 -0700 MST",
     "2026-03-04 05:06:07.0809001 +0000 UTC"),  # Go's Time.String()
    (OFFSET_TIME, "2006-01-02T15:04:05Z07:00", "2026-12-31T23:59:59+05:30"),
    (OFFSET_TIME, "MST -07 -0700 -070000 Z0700 .999", "+0530 +05 +0530 +053000 +0530 "),
    (OFFSET_TIME, "15 03 3 PM", "23 11 11 PM"),
]  # fmt: skip


@pytest.mark.parametrize(("when", "layout", "expected"), CASES, ids=[c[1] for c in CASES])
def test_layouts_print_as_go_prints_them(when: str, layout: str, expected: str) -> None:
    parsed = parse_rfc3339(when)
    assert parsed is not None
    assert go_format(*parsed[:1], layout, parsed[1]) == expected


@pytest.mark.parametrize("text", ["", "2026-03-04", "yesterday", "2026-03-04T05:06:07"])
def test_what_is_not_rfc3339_is_not_parsed(text: str) -> None:
    assert parse_rfc3339(text) is None
