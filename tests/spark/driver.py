"""Run by tests/spark in .venv-spark: every Spark job once on local[2], results dumped as JSON.

One Spark session serves every test (starting one costs tens of seconds), so this script runs
extract (with its first task made to fail once after writing part of its output, to prove a
retried task duplicates nothing), fuse and load twice; the tests compare the dump
with the single-machine code running in the main test interpreter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path


def _flaky(real):  # type: ignore[no-untyped-def]
    """The extract partition function, failing the first attempt of partition 0 mid-way."""

    def run(items, settings_json, version):  # type: ignore[no-untyped-def]
        from pyspark import TaskContext

        ctx = TaskContext.get()
        for n, row in enumerate(real(items, settings_json, version)):
            if ctx.partitionId() == 0 and ctx.attemptNumber() == 0 and n == 3:
                raise RuntimeError("injected failure: this attempt must leave no output")
            yield row

    return run


def _plain(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _dump(frame) -> list[dict]:  # type: ignore[no-untyped-def]
    return [{k: _plain(v) for k, v in row.asDict().items()} for row in frame.collect()]


def main(workdir: Path, database_url: str) -> None:
    from watchfloor.settings import Settings
    from watchfloor.spark import jobs
    from watchfloor.spark.load import load_outputs

    settings = Settings()
    spark = jobs.session("local[2,3]", app_name="watchfloor-tests")
    spark.sparkContext.setLogLevel("ERROR")
    jobs._extract_partition = _flaky(jobs._extract_partition)
    extracted, fused = str(workdir / "extracted"), str(workdir / "fused")
    results: dict = {}
    try:
        summary = jobs.run_extract(spark, settings, str(workdir / "input"), extracted, partitions=4)
        results["extract"] = dataclasses.asdict(summary)
        results["fuse"] = dataclasses.asdict(jobs.run_fuse(spark, extracted, fused, partitions=3))
        read = spark.read.parquet
        results["articles"] = _dump(read(f"{extracted}/articles"))
        results["reports"] = _dump(read(f"{extracted}/reports"))
        results["org_developments"] = _dump(read(f"{extracted}/org_developments"))
        results["rejects"] = _dump(read(f"{extracted}/rejects"))
        results["events"] = _dump(read(f"{fused}/events"))
        results["memberships"] = _dump(read(f"{fused}/memberships"))
        loads = []
        for _ in range(2):
            outcome = load_outputs(spark, extracted, database_url, batch_size=5)
            loads.append(dataclasses.asdict(outcome))
        results["loads"] = loads
        results["exists"] = [
            jobs.path_exists(spark, f"{extracted}/articles"),
            jobs.path_exists(spark, f"{fused}/articles"),
        ]
        from watchfloor.errors import InputError

        try:
            load_outputs(spark, fused, database_url, batch_size=5)
        except InputError as exc:
            results["load_fused"] = exc.one_line()
    finally:
        spark.stop()
    (workdir / "results.json").write_text(json.dumps(results))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
