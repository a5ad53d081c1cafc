"""Run calls at the same moment, each in its own thread with its own database connection: the
race tests (two signings, two receipt sends, paragraph numbers, reminder workers) on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_at_once(*calls: Callable[[], T]) -> list[T]:
    """Start every call in a thread, release them together (a barrier), wait for all and return
    their results in the order of `calls`. An exception in any thread is raised here, after all
    have finished, so a test never passes with a worker that failed."""
    barrier = threading.Barrier(len(calls))
    results: list[T | None] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(position: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[position] = call()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(position, call)) for position, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]
