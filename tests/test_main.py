"""The command line (`python -m citycoop`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import citycoop
from _shared import run


class TestCommandLine:
    """python -m citycoop prints the report and exits cleanly."""

    def test_report(self):
        done = run()
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert "signed Thu, Nov 25, 2021 08:30 in Seoul" in out
        assert "signed Wed, Nov 24, 2021 18:30 in Lima" in out
        assert "Asia/Seoul" not in out  # a zone id never reaches the reader
        assert "89 cases |  | about ₩804.8B (₩804,800,000,000) | 60 cities | 34 countries" in out
        assert "- cases: 12 of 89 (13.5%)" in out

    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("ko", "서울 시각 2021년 11월 25일 (목) 08:30 체결"),
            ("es", "jue, 25 nov 2021 08:30"),
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
        assert "1 EUR = 1,331.51 KRW (Nov 24, 2021, ECB" in done.stdout
        assert "$677,320,395.64" in done.stdout  # 804.8e9 * 1.1206 / 1331.51, rounded once

    def test_input_json(self, tmp_path):
        from citycoop.io import json as cjson

        path = tmp_path / "portfolio.json"
        path.write_text(cjson.dumps(citycoop.datasets.seoul()), encoding="utf-8")
        assert run("--input", str(path)).stdout == run().stdout

    def test_input_from_standard_input(self):
        import subprocess
        import sys

        from citycoop.io import json as cjson

        toml = (Path(citycoop.datasets.__file__).parent / "seoul.toml").read_text(encoding="utf-8")
        for text in (cjson.dumps(citycoop.datasets.seoul()), toml):
            done = subprocess.run(
                [sys.executable, "-m", "citycoop", "--input", "-"],
                input=text,
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            assert done.stdout == run().stdout
        done = subprocess.run(
            [sys.executable, "-m", "citycoop", "--input", "-"],
            input="{not json",
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 1
        assert done.stderr.startswith("citycoop: <stdin>")

    def test_output_file(self, tmp_path):
        target = tmp_path / "briefing.md"
        target.write_text("the previous briefing", encoding="utf-8")
        done = run("--format", "markdown", "--output", str(target))
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert target.read_text(encoding="utf-8") == run("--format", "markdown").stdout
        assert [p.name for p in tmp_path.iterdir()] == ["briefing.md"]  # no temporary left
        missing = tmp_path / "no such folder" / "briefing.md"
        done = run("--output", str(missing))
        assert done.returncode == 1
        assert done.stderr.startswith(f"citycoop: cannot write {missing}")

    def test_repeated_rates_merge(self, fx):
        ecb = fx / "ecb_eurofxref-hist.csv"
        fed = fx / "fed_h10_annual.csv"
        done = run("--currency", "USD", "--rates", str(ecb), "--rates", str(fed))
        assert done.returncode == 0, done.stderr
        assert "rates from ecb_eurofxref-hist.csv, fed_h10_annual.csv" in done.stdout
        # Each rate says which file served it.
        used = done.stdout.split("Rates used", 1)[1].splitlines()
        rates = [line for line in used if line.startswith("- 1 ")]
        assert rates
        assert all(
            line.endswith(("from ecb_eurofxref-hist.csv", "from fed_h10_annual.csv"))
            for line in rates
        )
        alone = run("--currency", "USD", "--rates", str(ecb))
        assert "rates from ecb_eurofxref-hist.csv" in alone.stdout

    def test_planning_rates(self, tmp_path, fx):
        from citycoop import City, Money, PolicyExport, Portfolio
        from citycoop.io import json as cjson

        kyiv = City("Kyiv", "UA", "Europe/Kyiv")
        draft = PolicyExport(
            "Draft", kyiv, "digital", value=Money("1e6", "UAH"), value_date="2026-06-30"
        )
        path = tmp_path / "draft.json"
        owner = citycoop.datasets.seoul().owner
        path.write_text(cjson.dumps(Portfolio(owner, exports=(draft,))), encoding="utf-8")
        wdi = str(fx / "wdi_API_PA.NUS.FCRF_DS2_en_csv_v2_58.csv")
        common = ("--input", str(path), "--currency", "KRW", "--rates", wdi)
        planned = run(*common, "--planning-rates")
        assert planned.returncode == 0, planned.stderr
        assert "planning rate for a later date" in planned.stdout
        assert "2024" in planned.stdout
        plain = run(*common)
        assert plain.returncode == 0, plain.stderr
        assert "planning rate" not in plain.stdout
        assert run("--planning-rates").returncode == 2  # needs --rates

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


def _multi_currency(tmp_path):
    """The Seoul portfolio with three cases valued in USD, KRW and EUR."""
    import attrs

    from citycoop import Money
    from citycoop.io import json as cjson

    portfolio = citycoop.datasets.seoul()
    cases = list(portfolio.exports)
    for index, value in enumerate([Money("1e6", "USD"), Money("2e9", "KRW"), Money("5e5", "EUR")]):
        cases[index] = attrs.evolve(cases[index], value=value)
    path = tmp_path / "multi.json"
    path.write_text(cjson.dumps(attrs.evolve(portfolio, exports=cases)), encoding="utf-8")
    return path


class TestPartialAnswers:
    """Values no rate serves are listed in the coverage section; the report never aborts."""

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
    def test_several_currencies_without_rates(self, tmp_path, capsys, fmt):
        from citycoop.__main__ import main

        assert main(["--input", str(_multi_currency(tmp_path)), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "no recorded total in KRW; values not converted: 2" in out
        arrow = {"html": "-&gt;", "markdown": "-\\>"}.get(fmt, "->")
        assert f"no USD{arrow}KRW rate" in out
        if fmt == "json":
            facts = json.loads(out)["facts"]
            assert facts["unconverted"] == [
                {
                    "currency": "EUR",
                    "amount": "500000",
                    "on": "2021-11-24",
                    "reason": "no EUR->KRW rate",
                },
                {
                    "currency": "USD",
                    "amount": "1000000",
                    "on": "2021-11-24",
                    "reason": "no USD->KRW rate",
                },
            ]
            assert "recorded_value" not in facts

    @pytest.mark.parametrize("locale", ["ko", "es"])
    def test_in_every_locale(self, tmp_path, capsys, locale):
        from citycoop.__main__ import main

        assert main(["--input", str(_multi_currency(tmp_path)), "--locale", locale]) == 0
        assert "USD->KRW" in capsys.readouterr().out

    def test_with_rates_the_total_and_its_rates(self, tmp_path, capsys, fx):
        from citycoop.__main__ import main

        path = _multi_currency(tmp_path)
        rates = str(fx / "ecb_eurofxref-hist.csv")
        assert main(["--input", str(path), "--currency", "USD", "--rates", rates]) == 0
        out = capsys.readouterr().out
        # 2e9 + 1e6 / 1.1206 * 1331.51 + 5e5 * 1331.51, rounded once to the won.
        assert "recorded cases add up to ₩3.9B (₩3,853,966,672)" in out
        assert "1 EUR = 1,331.51 KRW (Nov 24, 2021, ECB" in out
        assert "not converted" not in out


class TestConstantPrices:
    """--prices FILE --base-year YEAR states the headline and the records at constant prices."""

    CPI = "API_FP.CPI.TOTL_DS2_en_csv_v2_129887.csv"

    def test_the_headline_at_constant_prices(self, price_files, fx):
        done = run(
            "--currency",
            "USD",
            "--rates",
            str(fx / "wdi_API_PA.NUS.FCRF_DS2_en_csv_v2_58.csv"),
            "--prices",
            str(price_files / self.CPI),
            "--base-year",
            "2024",
        )
        assert done.returncode == 0, done.stderr
        # 804.8e9 x 132.195563411264 / 118.669872413341 (Korea's CPI, 2024 and 2021).
        assert "(taken as at 2021 prices) is ₩896.5B (₩896,529,062,261)" in done.stdout
        # ... then converted at 2024's annual rate, 1363.375 KRW per USD.
        assert "at constant 2024 prices is $657.6M ($657,580,681.96)" in done.stdout
        assert "1 USD = 1,363.375 KRW (Jan 1, 2024 – Dec 31, 2024" in done.stdout

    def test_json_facts_and_every_locale(self, price_files):
        args = ("--prices", str(price_files / self.CPI), "--base-year", "2024")
        facts = json.loads(run("--format", "json", *args).stdout)["facts"]
        assert facts["constant_prices"]["reported"] == {
            "currency": "KRW",
            "amount": "896529062261",
            "index_values": ["KOR 2021 = 118.669872413341", "KOR 2024 = 132.195563411264"],
        }
        assert "2024년 불변가격 기준" in run("--locale", "ko", *args).stdout
        assert "a precios constantes de 2024" in run("--locale", "es", *args).stdout

    def test_recorded_values_at_constant_prices(self, tmp_path, capsys, price_files, fx):
        from citycoop.__main__ import main

        path = _multi_currency(tmp_path)
        rates = str(fx / "wdi_API_PA.NUS.FCRF_DS2_en_csv_v2_58.csv")
        prices = str(price_files / self.CPI)
        args = ["--input", str(path), "--prices", prices, "--base-year", "2021"]
        assert main([*args, "--currency", "USD", "--rates", rates]) == 0
        out = capsys.readouterr().out
        # Korea's index cannot deflate euros, nor can any one economy of the euro area.
        assert "€500,000.00: no World Bank WDI" in out
        assert "several economies price EUR" in out
        # Converted into won at each value's date first, every value is deflated.
        method = ["--price-method", "convert_then_deflate"]
        assert main([*args, *method, "--currency", "USD", "--rates", rates]) == 0
        out = capsys.readouterr().out
        assert "recorded cases at constant 2021 prices: ₩" in out
        # Without rates the USD and EUR values cannot be converted: listed, never zero.
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "no recorded total at constant 2021 prices; values not deflated: 2" in out
        assert "$1,000,000.00: no USD->KRW rate serves 2021-07-01" in out  # the base year's

    def test_a_missing_year_is_said_not_fatal(self, price_files):
        done = run("--prices", str(price_files / self.CPI), "--base-year", "2030")
        assert done.returncode == 0, done.stderr
        assert (
            "no World Bank WDI (updated 2025-10-07) FP.CPI.TOTL value for KOR in 2030"
            in done.stdout
        )

    def test_bad_usage_and_bad_files(self, tmp_path, price_files):
        assert run("--prices", str(price_files / self.CPI)).returncode == 2
        assert run("--base-year", "2021").returncode == 2
        assert run("--economy", "KOR").returncode == 2
        assert run("--price-method", "convert_then_deflate").returncode == 2
        bad = tmp_path / "prices.csv"
        bad.write_text(
            '"Country Name","Country Code","Indicator Name","Indicator Code","2020",\n"Korea","KOR","CPI","FP.CPI.TOTL","x",\n'
        )
        done = run("--prices", str(bad), "--base-year", "2021")
        assert done.returncode == 1
        assert "line 2, column '2020': 'x' is not a number" in done.stderr


class TestStandardOutput:
    """A standard output that cannot take the report gets a message and exit 1."""

    def test_an_encoding_that_cannot_hold_the_report(self):
        import os
        import subprocess
        import sys

        done = subprocess.run(
            [sys.executable, "-m", "citycoop", "--locale", "ko"],
            capture_output=True,
            check=False,
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "ascii"},
        )
        assert done.returncode == 1
        assert b"cannot write to standard output" in done.stderr
        assert b"PYTHONIOENCODING=utf-8" in done.stderr
        assert b"Traceback" not in done.stderr

    @pytest.mark.skipif(
        not __import__("pathlib").Path("/dev/full").exists(), reason="no /dev/full here"
    )
    def test_a_full_device(self):
        import subprocess
        import sys

        with open("/dev/full", "w") as full:  # noqa: PTH123
            done = subprocess.run(
                [sys.executable, "-m", "citycoop"],
                stdout=full,
                stderr=subprocess.PIPE,
                check=False,
                timeout=120,
            )
        assert done.returncode == 1
        assert b"cannot write to standard output" in done.stderr
        assert b"Traceback" not in done.stderr
        assert b"Exception ignored" not in done.stderr
