from __future__ import annotations

import json
import subprocess
import sys

import pytest

import citycoop
from citycoop import DataFileError, FocusArea, Money, MOUStatus
from citycoop.datasets import load_toml, loads_toml


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citycoop", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


class TestCommandLine:
    """python -m citycoop prints the report and exits cleanly."""

    def test_report(self):
        done = run()
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert "signed Thu, Nov 25, 2021 08:30 (Asia/Seoul) in Seoul" in out
        assert "signed Wed, Nov 24, 2021 18:30 (America/Lima) in Lima" in out
        assert "89 cases, about ₩804.8B (₩804,800,000,000), 60 cities, 34 countries" in out
        assert "- cases: 12 of 89 (13.5%)" in out

    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("ko", "2021년 11월 25일 (목) 08:30 (Asia/Seoul)"),
            ("es", "jue, 25 nov 2021 08:30 (Asia/Seoul)"),
        ],
    )
    def test_locales(self, locale, expected):
        done = run("--locale", locale)
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout

    def test_formats(self):
        markdown = run("--format", "markdown").stdout
        assert markdown.startswith("# Cooperation portfolio of Seoul Metropolitan Government")
        page = run("--format", "html", "--locale", "ko").stdout
        assert page.startswith("<!DOCTYPE html>")
        assert '<html lang="ko">' in page
        document = json.loads(run("--format", "json").stdout)
        assert document["facts"]["cases_reported"] == 89
        assert document["facts"]["cases_recorded"] == 12

    def test_conversion_says_which_rates(self, fx):
        done = run("--currency", "USD", "--rates", str(fx / "ecb_eurofxref-hist.csv"))
        assert done.returncode == 0, done.stderr
        assert "1 EUR = 1331.51 KRW (2021-11-24/2021-11-24, ECB" in done.stdout
        assert "$677,320,395.64" in done.stdout  # 804.8e9 * 1.1206 / 1331.51, rounded once

    def test_input_json(self, tmp_path):
        from citycoop.io import json as cjson

        path = tmp_path / "portfolio.json"
        path.write_text(cjson.dumps(citycoop.datasets.seoul()), encoding="utf-8")
        assert run("--input", str(path)).stdout == run().stdout

    def test_bad_option(self):
        done = run("--frobnicate")
        assert done.returncode == 2
        assert "usage:" in done.stderr
        assert run("--currency", "USD").returncode == 2
        assert run("--currency", "XYZ", "--rates", "x.csv").returncode == 2

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (
                'schema = "citycoop-dataset/1"\n[cities.x]\nname = "X"\ncountry = "ZZ"\ntimezone = "UTC"\n',
                "cities.x",
            ),
            ("{not json", "not valid JSON"),
        ],
    )
    def test_bad_input_file(self, tmp_path, content, message):
        path = tmp_path / ("broken.toml" if "schema =" in content else "broken.json")
        path.write_text(content)
        done = run("--input", str(path))
        assert done.returncode == 1
        assert message in done.stderr
        assert "Traceback" not in done.stderr

    def test_bad_rates_file(self, tmp_path):
        path = tmp_path / "rates.csv"
        path.write_text("Date,USD,\n2021-11-24,abc,\n")
        done = run("--currency", "USD", "--rates", str(path))
        assert done.returncode == 1
        assert "line 2, column 'USD'" in done.stderr
        assert "Traceback" not in done.stderr


class TestImport:
    """import citycoop stays cheap."""

    def test_heavy_modules_not_imported(self):
        code = "import citycoop, sys, json; print(json.dumps(sorted(m for m in ('pint','pandas','lxml','hypothesis','iso4217') if m in sys.modules)))"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert json.loads(done.stdout) == []

    def test_all_is_sorted_and_complete(self):
        assert len(set(citycoop.__all__)) == len(citycoop.__all__)  # order: ruff RUF022
        for name in citycoop.__all__:
            assert getattr(citycoop, name) is not None

    def test_function_layer_loads_on_first_use(self):
        code = (
            "import citycoop, sys; assert 'citycoop._rate_table' not in sys.modules; "
            "from citycoop import rollup, RateTable; assert 'citycoop._rollups' in sys.modules; "
            "assert 'rollup' in dir(citycoop); print(rollup.__module__, RateTable.__module__)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.split() == ["citycoop._rollups", "citycoop._rate_table"]

    def test_unknown_attribute(self):
        with pytest.raises(AttributeError):
            _ = citycoop.nonexistent


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
