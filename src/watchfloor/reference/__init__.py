"""Reference datasets (UCDP GED, ACLED) read into one record type and compared with ours.

Parsers are pure over CSV rows and yield a ``ReferenceEvent`` or an ``InputError`` per row,
so an import reports a bad row and goes on. Storage is ``watchfloor.store.reference``.
"""

from watchfloor.reference.records import DATASETS, ReferenceEvent

__all__ = ["DATASETS", "ReferenceEvent"]
