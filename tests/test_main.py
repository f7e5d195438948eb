"""The command line (`python -m citycoop`)."""

from __future__ import annotations

import json

import pytest

import citycoop
from _shared import run


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
