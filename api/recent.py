"""Small per-process memories of what was read from the database: for a few seconds
(``Recent``) or while it still holds (``Lru``).

Each request used to read its token and its local area before anything else; both change
rarely, so remembering them for ``settings.token_cache_s`` seconds saves a query and a
thread hop on most requests. A change made through this process forgets the entry at once;
other processes see it when their entry runs out.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

MAX_ENTRIES = 10_000


class Recent(Generic[K, V]):
    def __init__(self, ttl_s: float) -> None:
        self._ttl_s = ttl_s
        self._entries: dict[K, tuple[V, float]] = {}
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, key: K, value: V) -> None:
        if self._ttl_s <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:  # e.g. a flood of tokens: keep the live ones
                self._entries = {k: e for k, e in self._entries.items() if e[1] >= now}
            self._entries[key] = (value, now + self._ttl_s)

    def forget(self, key: K) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries = {}


class Lru(Generic[K, V]):
    """The ``size`` most recently used entries; keys carry the state they were built from,
    so a change makes a new key and old entries simply age out."""

    def __init__(self, size: int) -> None:
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
