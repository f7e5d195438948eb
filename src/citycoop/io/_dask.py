"""Running citycoop's parallel work on a Dask cluster (extra ``dask``).

:func:`~citycoop.io.ingest.ingest` and the rollups of an ingested dataset take a
``distributed.Client``: their tasks (a file to read, a partition to join or to sum) go
to its workers instead of a local pool. The workers must see the same files as this
process, under the same paths (one machine, or a shared file system).
"""

from __future__ import annotations

from typing import Final

from citycoop._core.errors import ValidationError
from citycoop._core.extras import require

__all__ = ["check_client"]

_WHAT: Final = "a distributed.Client (from the extra 'dask')"


def check_client(client: object, field: str) -> None:
    """Refuse anything but a ``distributed.Client``, naming *field*."""
    require("dask", field.rsplit(".", 1)[0])
    from distributed import Client

    if not isinstance(client, Client):
        raise ValidationError(field, type(client).__name__, _WHAT)
