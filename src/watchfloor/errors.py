"""Errors raised by watchfloor, rooted in one class so callers can catch them all.

Every error carries a stable code and the input it concerns, so the CLI can print a one-line
message that names the file (and line) and exit with a documented status::

    WatchfloorError                 [W000] exit 1
    ├── ConfigError                 [W100] exit 2   bad setting or config file
    ├── InputError                  [W200] exit 3   one article could not be read or parsed
    │   ├── UnreadableInput         [W201]          missing file, permission, directory errors
    │   ├── EncodingError           [W202]          bytes that are not UTF-8 or BOM-marked UTF-16
    │   ├── EmptyText               [W203]          nothing left after extracting the main text
    │   ├── BadDate                 [W204]          a publication date that is not YYYY-MM-DD
    │   ├── MalformedLine           [W205]          a JSONL line that is not a JSON object with text
    │   └── UnknownFormat           [W206]          a file type we do not ingest
    ├── ExtractionError             [W300] exit 4   the pipeline failed on an article
    ├── StoreError                  [W400] exit 5   the database refused or is not migrated
    └── NotFound                    [W404] exit 6   an event or actor id that does not exist

Library code raises these and never prints or exits; only ``watchfloor.cli`` turns them into
messages and exit codes.
"""

from __future__ import annotations


class WatchfloorError(Exception):
    """Base of every error watchfloor raises on purpose."""

    code = "W000"
    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def where(self) -> str:
        """The input position as 'file:line' (or just 'file'), empty when unknown."""
        if self.source is None:
            return ""
        return f"{self.source}:{self.line}" if self.line is not None else self.source

    def one_line(self) -> str:
        """The message a user sees: code, position and what went wrong, on one line."""
        where = self.where()
        text = " ".join(self.message.split())
        return f"[{self.code}] {where}: {text}" if where else f"[{self.code}] {text}"

    def __str__(self) -> str:
        return self.one_line()


class ConfigError(WatchfloorError):
    code = "W100"
    exit_code = 2


class InputError(WatchfloorError):
    code = "W200"
    exit_code = 3


class UnreadableInput(InputError):
    code = "W201"


class EncodingError(InputError):
    code = "W202"


class EmptyText(InputError):
    code = "W203"


class BadDate(InputError):
    code = "W204"


class MalformedLine(InputError):
    code = "W205"


class UnknownFormat(InputError):
    code = "W206"


class ExtractionError(WatchfloorError):
    code = "W300"
    exit_code = 4


class StoreError(WatchfloorError):
    code = "W400"
    exit_code = 5


class NotFound(WatchfloorError):
    code = "W404"
    exit_code = 6
