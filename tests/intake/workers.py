"""Functions that misbehave inside an isolated worker, for the pool tests."""

from __future__ import annotations

import os
import time


def echo(value: str) -> str:
    return value


def pid() -> int:
    return os.getpid()


def sleep_forever() -> None:
    while True:
        time.sleep(1)


def eat_memory() -> int:
    hog = [bytearray(50 * 1024 * 1024) for _ in range(100)]
    return len(hog)


def die() -> None:
    os._exit(3)


def boom() -> None:
    raise KeyError("secret pupil name must not appear")
