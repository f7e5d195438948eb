"""Publish the Seoul portfolio as IATI 2.03 activity XML.

Records whose sources give no date at all cannot be IATI activities (an activity date is
required); they are left out and listed, not silently dropped.
"""

from __future__ import annotations

import sys

import citycoop
from citycoop.io.iati import build

result = build(citycoop.datasets.seoul(), reporting_org="KR-SMG-EXAMPLE")
print(f"{result.activities} activities written")
for title, reason in result.skipped:
    print(f"left out: {title} ({reason})")
if len(sys.argv) > 1:
    with open(sys.argv[1], "wb") as handle:  # noqa: PTH123
        handle.write(result.xml)
