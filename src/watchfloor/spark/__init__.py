"""The pipeline on Apache Spark, for corpora one machine cannot hold (docs/scaling.md).

``jobs`` (extract, fuse), ``load`` (Parquet into the store), ``bench``; ``readers``, ``warc``
and ``rows`` are pure and import without pyspark. pyspark is an optional extra
(``pip install watchfloor[spark]``; ``make spark`` builds ``.venv-spark``).
"""

from __future__ import annotations

import importlib.util

from watchfloor.errors import ConfigError

MISSING_PYSPARK = (
    "pyspark is not installed in this Python; run `make spark` and use "
    ".venv-spark/bin/watchfloor, or `pip install 'watchfloor[spark]'`"
)


def require_pyspark() -> None:
    """Raise a one-line ConfigError naming the fix when pyspark cannot be imported."""
    if importlib.util.find_spec("pyspark") is None:
        raise ConfigError(MISSING_PYSPARK)
