"""How much one client may ask of the page: requests per minute, uploads running at once."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from assistant.errors import AccessError

WINDOW_S = 60.0


class RateLimiter:
    """At most `per_minute` requests from one client in any 60 seconds (0: no limit)."""

    def __init__(self, per_minute: int, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.what = what
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Count a request from `client`; AccessError (a 429) when it is one too many."""
        if not self.per_minute:
            return
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(client, deque())
            while seen and seen[0] <= now - WINDOW_S:
                seen.popleft()
            if len(seen) >= self.per_minute:
                wait = math.ceil(seen[0] + WINDOW_S - now)
                raise AccessError(
                    f"too many requests (429): at most {self.per_minute} {self.what} a minute from one "
                    f"client; try again in {wait} s"
                )
            seen.append(now)
            if len(self._seen) > 10_000:  # forget clients that have gone quiet
                for key in [k for k, v in self._seen.items() if not v or v[-1] <= now - WINDOW_S]:
                    del self._seen[key]


class Slots:
    """At most `size` jobs at once; one more is refused at once rather than queued."""

    def __init__(self, size: int, refusal: str) -> None:
        self._semaphore = threading.BoundedSemaphore(size)
        self._refusal = refusal

    @contextmanager
    def taken(self) -> Iterator[None]:
        if not self._semaphore.acquire(blocking=False):
            raise AccessError(self._refusal)
        try:
            yield
        finally:
            self._semaphore.release()
