"""Human texts in several languages (`citycoop._core.text`)."""

from __future__ import annotations

import json
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import citycoop
from _shared import MML, SMG
from citycoop import MOU, LocalText, Organisation, Text, ValidationError
from citycoop import strategies as cst
from citycoop._core.text import joined, language_tag, texts_of
from citycoop.io import json as cjson

TITLE = {"en": "Seoul-Lima Smart City Cooperation MOU", "ko": "서울시 스마트시티 협력 업무협약"}


class TestTags:
    @pytest.mark.parametrize(
        ("given", "usual"),
        [
            ("KO", "ko"),
            ("es-pe", "es-PE"),
            ("ko_KR", "ko-KR"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("sr-latn-rs", "sr-Latn-RS"),
            ("es-419", "es-419"),
            ("de-CH-1996", "de-CH-1996"),
            ("en-x-private", "en-x-private"),
            ("und", "und"),
        ],
    )
    def test_written_in_their_usual_case(self, given, usual):
        assert language_tag(given, "tag") == usual

    @pytest.mark.parametrize(
        "bad", ["", "e", "en--US", "en US", "toolongtag", "en-US\n", "한국어", 7, None]
    )
    def test_malformed_tags_are_refused_by_name(self, bad):
        with pytest.raises(ValidationError, match=r"^MOU\.title\["):
            MOU({bad: "x"}, [SMG, MML])

    def test_a_document_writes_tags_as_bcp_47_does(self):
        assert language_tag("ko_KR", "tag") == "ko-KR"
        with pytest.raises(ValidationError, match="BCP 47"):
            language_tag("ko_KR", "tag", strict=True)


class TestText:
    def test_the_original_comes_first_and_translations_by_tag(self):
        text = Text({"ko": "가", "es": "b", "en": "c"})
        assert text.items() == (("ko", "가"), ("en", "c"), ("es", "b"))
        assert text.original == "가" == str(text)
        assert text.language == "ko"
        assert text == Text({"ko": "가", "en": "c", "es": "b"})
        assert text != Text({"en": "c", "ko": "가", "es": "b"})  # another original
        assert text.as_dict() == {"ko": "가", "en": "c", "es": "b"}

    def test_a_plain_string_has_no_stated_language(self):
        text = Text("Smart poles")
        assert (text.language, text.languages) == ("und", ("und",))
        assert repr(text) == "Text('Smart poles')"
        assert text != "Smart poles"  # a text is not a str; compare str(text)

    @pytest.mark.parametrize(
        ("wanted", "text", "language", "fell_back"),
        [
            ("ko", "서울시 스마트시티 협력 업무협약", "ko", False),
            ("ko-KR", "서울시 스마트시티 협력 업무협약", "ko", False),
            ("EN-gb", TITLE["en"], "en", False),
            ("es", TITLE["en"], "en", True),
            ("es-PE", TITLE["en"], "en", True),
        ],
    )
    def test_in_finds_by_bcp_47_and_says_when_it_fell_back(self, wanted, text, language, fell_back):
        found = Text(TITLE).in_(wanted)
        assert (found.text, found.language, found.fell_back) == (text, language, fell_back)
        assert found.wanted == language_tag(wanted, "locale")
        assert str(found) == text

    def test_a_region_and_a_script_are_served_by_the_language(self):
        text = Text({"en": "Water", "es-PE": "Agua", "zh-Hant": "水"})
        assert text.in_("es").text == "Agua"  # "es" is served by "es-PE"
        assert text.in_("zh-Hant-TW").text == "水"
        assert text.in_("es-PE") == LocalText("Agua", "es-PE", "es-PE", fell_back=False)

    def test_a_text_in_no_stated_language_matches_no_reader(self):
        text = Text({"und": "Agua", "en": "Water"})
        assert text.in_("en").text == "Water"
        assert text.in_("es") == LocalText("Agua", "und", "es", fell_back=True)

    def test_with_text_adds_or_replaces_one_language(self):
        text = Text(TITLE).with_text("ES", "Memorando")
        assert text.get("es") == "Memorando"
        assert text.with_text("es", "Otro").get("es") == "Otro"
        assert text.original == TITLE["en"]
        with pytest.raises(ValidationError):
            text.with_text("es", "  ")

    @pytest.mark.parametrize(
        ("value", "field"),
        [
            ("", "Organisation.name"),
            ("   ", "Organisation.name"),
            ({}, "Organisation.name"),
            ({"en": ""}, "Organisation.name['en']"),
            ({"en": 5}, "Organisation.name['en']"),
            ({"en": "a", "EN": "b"}, "Organisation.name['EN']"),
            (["en", "a"], "Organisation.name"),
            (5, "Organisation.name"),
        ],
    )
    def test_bad_texts_are_named_by_field(self, value, field):
        with pytest.raises(ValidationError) as info:
            Organisation(value, "city_government", country="KR")
        assert info.value.field == field

    def test_evolve_pickle_and_hash_keep_a_text(self):
        text = Text(TITLE)
        assert attrs.evolve(text) == text
        assert hash(attrs.evolve(text)) == hash(text)
        assert pickle.loads(pickle.dumps(text)) == text

    def test_texts_sort_by_their_originals(self):
        texts = [Text("b"), Text("a"), Text({"en": "a"})]
        assert sorted(texts) == [Text({"en": "a"}), Text("a"), Text("b")]  # then by tags

    def test_joined_keeps_the_languages_every_text_has(self):
        both = joined([Text({"en": "CCTV", "ko": "CCTV"}), Text({"en": "Poles", "ko": "폴"})], "; ")
        assert both == Text({"en": "CCTV; Poles", "ko": "CCTV; 폴"})
        assert joined([Text({"en": "A"}), Text({"ko": "나"})], "; ") == Text("A; 나")
        with pytest.raises(ValidationError):
            joined([], "; ")

    def test_texts_of_finds_every_text_of_a_record(self):
        seoul = citycoop.datasets.seoul()
        found = list(texts_of(seoul))
        assert seoul.mous[-1].title in found
        assert seoul.owner.name in found
        assert all(isinstance(text, Text) for text in found)


class TestDocuments:
    """JSON writes a text as a string, or an object of its languages, and reads it back."""

    def test_json(self):
        mou = MOU(TITLE, [SMG, MML], policies=["TOPIS", {"en": "Smart poles", "ko": "스마트폴"}])
        document = json.loads(cjson.dumps(mou))
        assert document["data"]["title"] == TITLE
        assert document["data"]["policies"] == ["TOPIS", {"en": "Smart poles", "ko": "스마트폴"}]
        assert cjson.loads(cjson.dumps(mou)) == mou

    @pytest.mark.parametrize(
        "bad", [{}, {"ko_KR": "x"}, {"en": ""}, {"en": 1}, ["x"], 1, {"en": "a", "EN": "b"}]
    )
    def test_json_refuses_a_bad_text_by_path(self, bad):
        document = json.loads(cjson.dumps(MOU("t", [SMG, MML])))
        document["data"]["title"] = bad
        with pytest.raises(cjson.DocumentError, match=r"\$\.data\.title"):
            cjson.loads(json.dumps(document))

    @given(cst.texts())
    def test_drawn_texts_round_trip_in_json(self, text):
        mou = MOU(text, [SMG, MML])
        assert cjson.loads(cjson.dumps(mou)).title == text

    @given(st.sampled_from(["en", "ko", "es", "es-PE", "fr"]), cst.texts())
    def test_in_always_gives_one_of_the_texts(self, locale, text):
        found = text.in_(locale)
        assert (found.language, found.text) in text.items()
        if found.fell_back:
            assert (found.language, found.text) == text.items()[0]  # the original
        else:
            assert found.language.split("-")[0] == locale.split("-")[0]
