"""The embedded Seoul data (`citycoop.datasets`)."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citycoop
from _shared import ROOT, json_paths
from citycoop import DataFileError, FocusArea, Money, MOUStatus
from citycoop.datasets import dataset_schema, load_toml, loads_toml


class TestSeoulDataset:
    """The embedded data holds only sourced facts."""

    def test_contents(self):
        p = citycoop.datasets.seoul()
        (lima,) = p.mous_with("Lima")
        assert lima.status is MOUStatus.SIGNED
        assert set(lima.focus_areas) == {
            FocusArea.CITIZEN_SAFETY,
            FocusArea.PUBLIC_TRANSPORT,
            FocusArea.DIGITAL,
        }
        assert [h.term.value for h in lima.horizons] == ["mid", "long"]
        assert all(h.period is None for h in lima.horizons)  # no source dates them
        assert {r.city.name for r in p.requests} == {"Kyiv", "Guayaquil"}
        assert [r.as_of.year for r in p.reported] == [2015, 2016, 2017, 2021]
        assert p.latest_reported().value == Money("804.8e9", "KRW")
        (guayaquil,) = p.mous_with("Guayaquil")
        assert (
            guayaquil.signed_at.in_timezone("Asia/Seoul").isoformat() == "2020-10-30T08:00:00+09:00"
        )

    def test_every_record_is_sourced(self):
        p = citycoop.datasets.seoul()
        assert all(m.documents for m in p.mous)
        assert all(c.sources for c in p.exports)
        assert all(r.sources for r in p.requests + p.reported)  # type: ignore[operator]
        assert all(t.source for t in p.training)
        assert all(c.value is None for c in p.exports)  # no source states a case value

    def test_errors_name_the_key(self):
        with pytest.raises(DataFileError, match="mous\\[0\\]"):
            loads_toml(
                'schema = "citycoop-dataset/1"\n[owner]\norganisation = "o"\n'
                '[organisations.o]\nname = "O"\nkind = "company"\ncountry = "KR"\n'
                '[[mous]]\ntitle = "x"\nparties = ["nobody"]\n'
            )
        with pytest.raises(DataFileError, match=r"'requests\[1\]': lacks the required key 'city'"):
            loads_toml(
                'schema = "citycoop-dataset/1"\n[owner]\norganisation = "o"\n'
                '[organisations.o]\nname = "O"\nkind = "company"\ncountry = "KR"\n'
                '[cities.k]\nname = "Kyiv"\ncountry = "UA"\ntimezone = "Europe/Kyiv"\n'
                '[[requests]]\ncity = "k"\nreported_on = "2022-01-05"\n[[requests]]\nreported_on = "2022-02-01"\n'
            )
        with pytest.raises(DataFileError, match="schema"):
            loads_toml('schema = "other/9"\n')
        with pytest.raises(DataFileError, match="not valid TOML"):
            loads_toml("= broken")

    def test_load_file(self, tmp_path):
        from importlib.resources import files

        text = files("citycoop.datasets").joinpath("seoul.toml").read_text(encoding="utf-8")
        path = tmp_path / "copy.toml"
        path.write_text(text, encoding="utf-8")
        assert load_toml(path) == citycoop.datasets.seoul()


HEAD = (
    'schema = "citycoop-dataset/1"\n[owner]\norganisation = "o"\n'
    '[organisations.o]\nname = "O"\nkind = "company"\ncountry = "KR"\n'
    '[cities.k]\nname = "Kyiv"\ncountry = "UA"\ntimezone = "Europe/Kyiv"\n'
)


class TestSeoulTexts:
    """The record's texts in other languages are quoted from its sources, never made up."""

    def test_every_text_not_in_english_is_quoted_in_the_cited_facts(self, reference):
        from citycoop._core.text import texts_of

        facts = (reference / "data" / "facts" / "FACTS.md").read_text(encoding="utf-8")
        others = {
            (tag, string)
            for text in texts_of(citycoop.datasets.seoul())
            for tag, string in text.items()
            if tag != "en"
        }
        assert {tag for tag, _ in others} == {"ko"}
        assert [string for _, string in sorted(others) if string not in facts] == []

    def test_each_is_cited_beside_it(self):
        """A comment with the source's address stands at most three lines above each."""
        path = ROOT / "src" / "citycoop" / "datasets" / "seoul.toml"
        lines = path.read_text(encoding="utf-8").splitlines()
        translated = [n for n, line in enumerate(lines) if "ko = " in line]
        assert len(translated) == 6
        for number in translated:
            above = lines[max(0, number - 3) : number]
            assert any(line.startswith("#") and "https://" in line for line in above), number

    def test_a_korean_briefing_uses_them(self):
        briefing = citycoop.report(citycoop.datasets.seoul(), locale="ko", partner="Lima")
        text = briefing.render("markdown")
        assert "서울시 스마트시티 협력 업무협약" in text
        assert "서명자: 오세훈 서울시장" in text
        assert briefing.title.startswith("서울시 ")
        # the texts no source gives in Korean are shown in English, and counted
        assert "Smart poles" in text
        assert briefing.facts["untranslated_texts"] == 9

    def test_a_dataset_language_must_be_a_tag(self):
        with pytest.raises(citycoop.DataFileError, match="language"):
            loads_toml('schema = "citycoop-dataset/1"\nlanguage = "English (UK)"')


class TestHostileDatasets:
    """Whatever a dataset holds: a DataFileError naming the key path, never a silent loss."""

    @pytest.mark.parametrize(
        ("text", "match"),
        [
            (
                HEAD
                + "[[exports]]\npolicy = 'x'\nrecipient = 'k'\nfocus = 'digital'\nvalue_ = '5 USD'\n",
                r"'exports\[0\]': unknown keys 'value_'; expected some of budgets, focus",
            ),
            (
                HEAD
                + "[cities.l]\nname = 'Lima'\ncountry = 'PE'\ntimezone = 'America/Lima'\npopulaton = 1\n",
                r"'cities.l': unknown keys 'populaton'",
            ),
            ("colour = 'red'\n" + HEAD, r"'\(top level\)': unknown keys 'colour'"),
            (
                HEAD + "[[exports]]\npolicy = 'x'\nrecipient = 'k'\nfocus = 'digital'\n"
                "[exports.funding]\nkind = 'oda_grant'\nfunder_ = 'o'\n",
                r"'exports\[0\].funding': unknown keys 'funder_'",
            ),
            (
                HEAD + "[[exports]]\npolicy = 'x'\nrecipient = 'k'\nfocus = 'digital'\n"
                "[[exports.budgets]]\nyear = 2021\nvalue = '5 USD'\nvalue_dat = '2021-01-04'\n",
                r"'exports\[0\].budgets\[0\]': unknown keys 'value_dat'",
            ),
            (
                HEAD
                + "[[exports]]\npolicy = 'x'\nrecipient = 'k'\nfocus = 'digital'\nfunding = 3\n",
                r"'exports\[0\].funding': must be a table",
            ),
            (HEAD + "[cities]\nl = 5\n", "cities.l"),
        ],
    )
    def test_named(self, text, match):
        with pytest.raises(DataFileError, match=match):
            loads_toml(text)

    def test_budget_value_date(self):
        portfolio = loads_toml(
            HEAD + "[[exports]]\npolicy = 'x'\nrecipient = 'k'\nfocus = 'digital'\n"
            "[[exports.budgets]]\nyear = 2021\nvalue = '5 USD'\nvalue_date = '2021-01-04'\n"
        )
        assert str(portfolio.exports[0].budgets[0].valued_on) == "2021-01-04"

    def test_messages_stay_short(self):
        cities = "".join(
            f"[cities.c{i}]\nname = 'C'\ncountry = 'UA'\ntimezone = 'Europe/Kyiv'\n"
            for i in range(2000)
        )
        long_key = "k" * 100_000
        text = HEAD + cities + f"[[requests]]\ncity = '{long_key}'\nreported_on = 2022-01-05\n"
        with pytest.raises(DataFileError, match=r"and 1981 more\)") as info:
            loads_toml(text)
        assert len(str(info.value)) < 3000


class TestFormat:
    """The dataset format: one table of keys behind the reader, the schema and the docs."""

    ROOT = ROOT

    def test_schema_accepts_the_shipped_files(self):
        import tomllib

        validator = jsonschema.Draft202012Validator(dataset_schema())
        for path in (
            self.ROOT / "src" / "citycoop" / "datasets" / "seoul.toml",
            self.ROOT / "examples" / "kyiv_programme.toml",
        ):
            validator.validate(tomllib.loads(path.read_text(encoding="utf-8")))
            assert load_toml(path).owner.name.original == "Seoul Metropolitan Government"

    def test_the_docs_list_every_key_and_what_is_required(self):
        from citycoop.datasets import FORMAT

        page = (self.ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
        rows = re.findall(r"^\| (\*\*)?`([a-z_]+)`(\*\*)? \|", page, re.MULTILINE)
        documented = [(name, bool(bold)) for bold, name, _ in rows]
        expected = [
            (key, required) for keys in FORMAT.values() for key, (_, required) in keys.items()
        ]
        assert documented == expected

    @settings(max_examples=200, deadline=None)
    @given(st.data())
    def test_reader_accepts_nothing_the_schema_refuses(self, data):
        import tomllib

        document = tomllib.loads(
            (self.ROOT / "examples" / "kyiv_programme.toml").read_text(encoding="utf-8")
        )
        paths = [path for path in json_paths(document) if path]
        path = data.draw(st.sampled_from(paths), label="path")
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        change = data.draw(st.sampled_from(["replace", "delete", "add"]), label="change")
        if change == "replace":
            parent[path[-1]] = data.draw(st.sampled_from(REPLACEMENTS), label="by")
        elif change == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif change == "add" and isinstance(parent[path[-1]], dict):
            parent[path[-1]]["unknown_key"] = "x"
        valid = jsonschema.Draft202012Validator(dataset_schema()).is_valid(document)
        try:
            loads_toml(_toml(document))
        except DataFileError:
            return
        assert valid, document


REPLACEMENTS = [5, -1, 2.5, "x", "", True, [], {}, ["x"], {"a": 1}, "2021-02-30", "KRW 5"]


def _toml(node) -> str:
    """A minimal TOML writer for the test's documents (inline tables and arrays)."""

    def value(item):
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int | float):
            return repr(item)
        if isinstance(item, str):
            return json.dumps(item)
        if isinstance(item, list):
            return "[" + ", ".join(value(v) for v in item) + "]"
        return "{" + ", ".join(f"{json.dumps(k)} = {value(v)}" for k, v in item.items()) + "}"

    return "\n".join(f"{json.dumps(key)} = {value(item)}" for key, item in node.items()) + "\n"
