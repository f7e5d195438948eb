"""Reading IATI 2.01-2.03 activity files from any publisher (see :func:`read_activities`)."""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal, cast

import attrs

from citycoop._core.errors import CitycoopError, DataWarning, IatiError, ValidationError, cut
from citycoop._core.progress import Progress, counted
from citycoop._core.validation import Arguments
from citycoop._domain.activities import Activity, percent_note
from citycoop.io._iati_activity import ProblemError, activity_of, text_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from citycoop.io._iati_activity import Element

__all__ = ["VERSIONS", "ActivityStream", "Skipped", "read_activities"]

READ_ACTIVITIES: Final = Arguments("read_activities")

#: How long a skipped activity's reason may be.
_REASON: Final = 300

#: The IATI versions :func:`read_activities` reads.
VERSIONS: Final = ("2.01", "2.02", "2.03")


@attrs.frozen
class Skipped:
    """An activity left out of a stream read with ``invalid="skip"``, and why.

    Attributes:
        identifier: Its ``iati-identifier`` (``None`` if it had none).
        line: The line of the problem in the file.
        reason: The problem, as the :class:`~citycoop.IatiError` would have said it.

    .. versionadded:: 0.1.0
    """

    identifier: str | None
    line: int | None
    reason: str


class ActivityStream:
    """The activities of one IATI file, read one at a time as they are iterated.

    Memory stays proportional to one activity: each is built, then its elements are
    cleared from the parse tree. Iterate once; :attr:`skipped` fills as activities are
    skipped (with ``invalid="skip"``), and is complete when iteration ends.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        invalid: Literal["raise", "skip"],
        name: str,
        progress: Progress = None,
    ) -> None:
        self.name = name
        #: The file's IATI version, once iteration has started.
        self.version: str | None = None
        self._source = source
        self._invalid = invalid
        self._skipped: list[Skipped] = []
        self._activities = iter(
            counted(
                self._read(),
                progress,
                what=Path(name).name,
                field=READ_ACTIVITIES("progress"),
                every=256,
            )
        )
        self.done = False

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        """The activities left out so far, in file order, with the reason."""
        return tuple(self._skipped)

    def __iter__(self) -> ActivityStream:
        return self

    def __next__(self) -> Activity:
        return next(self._activities)

    def __repr__(self) -> str:
        state = "read" if self.done else "reading"
        return f"<ActivityStream {self.name!r} ({state}, {len(self._skipped)} skipped)>"

    def _fail(self, line: int | None, element: str | None, problem: str) -> IatiError:
        return IatiError(self.name, line, element, problem)

    def _read(self) -> Iterator[Activity]:
        source = self._source
        if isinstance(source, bytes):
            yield from self._parse(io.BytesIO(source))
        elif isinstance(source, str | os.PathLike):
            try:
                handle = Path(source).open("rb")  # noqa: SIM115 (closed when the stream ends)
            except OSError as error:
                raise self._fail(None, None, f"cannot be read ({error.strerror})") from None
            with handle:
                yield from self._parse(handle)
        else:
            yield from self._parse(_Bytes(source, self._fail))

    def _parse(self, stream: IO[bytes] | _Bytes) -> Iterator[Activity]:
        from lxml import etree

        context = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        root: Element | None = None
        active = 0  # how many iati-activity elements are open
        try:
            events = iter(context)
            for _, element in events:  # the first event starts the root
                root = element
                self._check_root(root)
                break
            for event, element in events:
                is_activity = element.tag == "iati-activity"
                if event == "start":
                    active += is_activity
                    continue
                if is_activity:
                    active -= 1
                    parent = element.getparent()
                    if parent is not root:
                        where = "none" if parent is None else cut(str(parent.tag), 60)
                        raise self._fail(
                            element.sourceline,
                            "iati-activity",
                            f"an iati-activity inside {where}, not directly in iati-activities",
                        )
                    activity = self._activity(element)
                elif active:
                    continue  # a part of the activity being read
                else:
                    parent, activity = element.getparent(), None
                # Whatever has been read is dropped: an activity once read, and any element
                # outside one (the reader reads activities only), so that memory holds one
                # activity whatever else the file holds.
                element.clear(keep_tail=False)
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
                if activity is not None:
                    yield activity
        except etree.XMLSyntaxError as error:
            line = error.lineno or None
            raise self._fail(line, None, f"not well-formed XML ({error.msg})") from None
        except OSError as error:
            raise self._fail(None, None, f"cannot be read ({error})") from None
        if root is None:
            raise self._fail(None, None, "no XML document (the input is empty)")
        self.done = True

    def _check_root(self, root: Element) -> None:
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise self._fail(
                root.sourceline,
                "DOCTYPE",
                "a document type declaration, which IATI files never have "
                "(entities and external DTDs are not read)",
            )
        if root.tag == "iati-organisations":
            raise self._fail(
                root.sourceline,
                "iati-organisations",
                "an IATI organisation file; read_activities reads activity files",
            )
        if root.tag != "iati-activities":
            raise self._fail(
                root.sourceline,
                str(root.tag),
                f"not an IATI activity file (the root element is {cut(str(root.tag))!r}, "
                "not 'iati-activities')",
            )
        version = root.get("version")
        if version not in VERSIONS:
            raise self._fail(
                root.sourceline,
                "iati-activities/@version",
                f"IATI version {version!r}; this reader reads {', '.join(VERSIONS)}",
            )
        self.version = version

    def _note_percentages(self, activity: Activity) -> None:
        """Warn of recipient percentages the documented rule had to settle."""
        for where, countries, regions in (
            ("", activity.countries, activity.regions),
            *(
                (f" transaction {index + 1}", t.countries, t.regions)
                for index, t in enumerate(activity.transactions)
            ),
        ):
            note = percent_note((*countries, *regions))
            if note is not None:
                warnings.warn(
                    f"{self.name}, line {activity.line}: {activity.identifier}{where}: {note}",
                    DataWarning,
                    stacklevel=1,
                )

    def _activity(self, element: Element) -> Activity | None:
        identifier = None
        try:
            identifier = text_of(element.find("iati-identifier"), "iati-identifier")
            activity = activity_of(element, identifier)
        except ProblemError as problem:
            error = IatiError(self.name, problem.line, problem.what, problem.problem, identifier)
        except CitycoopError as problem:  # a value the domain refuses
            error = IatiError(
                self.name, element.sourceline, "iati-activity", str(problem), identifier
            )
        else:
            self._note_percentages(activity)
            return activity
        if self._invalid == "raise":
            raise error
        # A reason is cut as messages are: a skipped activity never keeps a huge value.
        self._skipped.append(Skipped(identifier, error.line, cut(error.problem, _REASON)))
        return None


class _Bytes:
    """A file object that must give bytes: text from it is an :class:`IatiError`."""

    def __init__(
        self, source: IO[bytes], fail: Callable[[int | None, str | None, str], IatiError]
    ) -> None:
        self.source = source
        self.fail = fail

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        if not isinstance(data, bytes):
            raise self.fail(
                None,
                None,
                f"the file object gives {type(data).__name__}, not bytes (open it with 'rb')",
            )
        return data


def read_activities(
    source: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    invalid: Literal["raise", "skip"] = "raise",
    progress: Progress = None,
) -> ActivityStream:
    """The activities of an IATI 2.01-2.03 activity file, one at a time.

    Args:
        source: A path, a binary file object or the file's bytes.
        invalid: ``"raise"`` (an activity that cannot be read raises
            :class:`~citycoop.IatiError`) or ``"skip"`` (it is left out and listed in
            :attr:`ActivityStream.skipped` with the reason).
        progress: ``progress(activities, None)`` is called every 256 activities read
            and at the end (with their number); ``True`` shows a ``tqdm`` bar.

    The parser resolves no entities, loads no DTD, reaches no network and keeps libxml2's
    limits on tree depth and text size; a file with a ``DOCTYPE`` is refused. A file that
    is not IATI XML, or of another version, raises :class:`~citycoop.IatiError` whatever
    *invalid* says.

    Raises:
        IatiError: naming the file, line, element and activity.
        ValidationError: *source* or *invalid* is not one of the accepted kinds.

    .. versionadded:: 0.1.0
    """
    if invalid not in ("raise", "skip"):
        raise ValidationError(READ_ACTIVITIES("invalid"), invalid, "'raise' or 'skip'")
    if isinstance(source, bytes):
        name = "<bytes>"
    elif isinstance(source, str | os.PathLike):
        name = os.fspath(source)  # pyright: ignore[reportUnknownArgumentType]
    elif isinstance(cast("object", source), io.TextIOBase):  # typed as bytes, given text
        raise ValidationError(
            READ_ACTIVITIES("source"),
            type(source).__name__,
            "a binary file object (open the file with 'rb'), a path or bytes",
        )
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", "<file>"))
    else:
        raise ValidationError(
            READ_ACTIVITIES("source"), source, "a path, a binary file object or bytes"
        )
    return ActivityStream(source, invalid=invalid, name=name, progress=progress)
