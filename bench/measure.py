"""What the benchmarks share: the peak resident memory seen while they run."""

from __future__ import annotations

import os
import threading


class PeakRSS(threading.Thread):
    """Samples this process's resident memory every 20 ms until stopped; `peak` in bytes."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop_event.is_set():
            with open("/proc/self/statm") as statm:
                self.peak = max(self.peak, int(statm.read().split()[1]) * page)
            self._stop_event.wait(0.02)

    def __enter__(self) -> PeakRSS:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
