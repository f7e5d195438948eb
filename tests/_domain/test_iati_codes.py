"""The shipped IATI code lists (`_domain/iati_codes.py`)."""

from __future__ import annotations

from _shared import ROOT


class TestCodeLists:
    """The IATI code lists the reader checks, shipped as one table written from the official lists."""

    def test_the_shipped_table_is_the_official_lists(self, reference, tmp_path):
        import runpy
        from importlib.resources import files

        script = ROOT / "scripts" / "iati_codelists.py"
        main = runpy.run_path(str(script))["main"]
        out = tmp_path / "codes.csv"
        assert main(["iati_codelists.py", str(reference / "iati" / "codelists"), str(out)]) == 0
        shipped = files("citycoop").joinpath("_data", "iati_codes.csv").read_text("utf-8")
        assert out.read_text("utf-8") == shipped

    def test_withdrawn_codes_are_still_read(self):
        from citycoop._domain.iati_codes import is_code

        assert is_code("Currency", "VEF")  # withdrawn in ISO 4217, still in old files
        assert is_code("Sector", "22081")  # a DAC code newer than the 2.03 release
        assert not is_code("Sector", "99999")
