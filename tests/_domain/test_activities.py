"""IATI activities of other publishers (`_domain/activities.py`)."""

from __future__ import annotations

import pytest

from citycoop import ActivityStatus, OrgRole, TransactionType
from citycoop._domain.activities import IATI_CODES

IATI_LISTS = [TransactionType, ActivityStatus, OrgRole]


class TestIatiCodes:
    """Each member's IATI code is stated, and is the official list's code for its name."""

    @pytest.mark.parametrize("kind", IATI_LISTS, ids=lambda kind: kind.__name__)
    def test_every_member_has_its_code_and_back(self, kind):
        assert set(IATI_CODES[kind.__name__]) == {member.value for member in kind}
        for member in kind:
            assert kind.from_code(member.code) is member

    @pytest.mark.parametrize("kind", IATI_LISTS, ids=lambda kind: kind.__name__)
    def test_the_code_names_what_the_member_says(self, kind):
        for member in kind:
            words = member.value.replace("_", " ")
            assert member.iati_name.lower().startswith(words), (member, member.iati_name)

    def test_declaration_order_does_not_make_the_code(self):
        assert TransactionType.INCOMING_PLEDGE.code == "13"
        assert ActivityStatus.PIPELINE.code == "1"
        assert OrgRole.IMPLEMENTING.code == "4"
