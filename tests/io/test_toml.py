"""The TOML dataset format (`citycoop.io.toml`)."""

from __future__ import annotations

import pytest

from citycoop import DataFileError
from citycoop.io.toml import loads_toml


class TestHostileText:
    """What tomllib cannot parse is a DataFileError naming the file, never a bare error."""

    @pytest.mark.parametrize(
        "text",
        [
            "a = " + "[" * 100_000 + "]" * 100_000,
            "a = " + "{b = " * 100_000 + "1" + "}" * 100_000,
        ],
        ids=["arrays", "inline tables"],
    )
    def test_deep_nesting(self, text):
        with pytest.raises(DataFileError, match=r"^deep\.toml: .*(nested too deeply|not valid)"):
            loads_toml(text, name="deep.toml")

    def test_not_toml(self):
        with pytest.raises(DataFileError, match="is not valid TOML"):
            loads_toml("schema = ", name="broken.toml")
