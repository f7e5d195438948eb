"""Code lists (`_codes`): one parse for every code list, labels in every locale."""

from __future__ import annotations

import pytest

from citycoop import ExportStatus, FocusArea, Modality, MOUStatus, UnknownCodeError


class TestParse:
    """parse() accepts a member, its value or its words, and names what it refuses."""

    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            (Modality.IN_PERSON, Modality.IN_PERSON),
            ("in_person", Modality.IN_PERSON),
            ("In Person", Modality.IN_PERSON),
            ("in-person", Modality.IN_PERSON),
        ],
    )
    def test_accepts_member_value_and_words(self, given, expected):
        assert Modality.parse(given, "field") is expected

    def test_refusal_names_field_and_codes(self):
        with pytest.raises(UnknownCodeError, match=r"^TrainingTrack\.modality: 'zoom'.*online"):
            Modality.parse("zoom", "TrainingTrack.modality")

    @pytest.mark.parametrize("value", [None, 3, b"online", ["online"]])
    def test_refuses_non_strings(self, value):
        with pytest.raises(UnknownCodeError):
            MOUStatus.parse(value, "status")


class TestLabels:
    """Each member has an English label and one per supported locale."""

    def test_label_is_english(self):
        assert ExportStatus.IN_PROGRESS.label == "in progress"

    def test_label_in_locale(self):
        assert FocusArea.CITIZEN_SAFETY.label_in("es") == "seguridad ciudadana"
        assert FocusArea.CITIZEN_SAFETY.label_in("ko") != FocusArea.CITIZEN_SAFETY.label
