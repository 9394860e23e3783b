"""One clock for the whole test run.

Certificates, lots and decisions in the tests carry real dates (signed in 2025, valid 36 months…), so the suite
runs on a fixed day instead of the real one: 30/11/2026 10:00 in Đắk Lắk, ticking from there. Another day can be
tried with ``OCOP_TEST_NOW=2028-09-30T10:00+07:00 bin/test``.

Processes a test starts (the Celery worker) are launched through ``python -m tests.clock <module> …`` with the
parent's current moment, so every process of a run reads the same clock.
"""

import datetime
import os
import runpy
import sys
import time

import time_machine

ENVIRONMENT_VARIABLE = "OCOP_TEST_NOW"
#: The real time (epoch seconds) at which a parent read $OCOP_TEST_NOW for a child: the child adds the seconds it
#: took to start, so that it is not behind the parent by its start-up time.
READ_AT_VARIABLE = "OCOP_TEST_NOW_READ_AT"
TEST_DAY = "2026-11-30T10:00:00+07:00"


def start(moment: str | None = None) -> time_machine.travel:
    """Move this process's clock to ``moment`` (default: $OCOP_TEST_NOW, else the test day), ticking on."""
    moment = datetime.datetime.fromisoformat(moment or os.environ.get(ENVIRONMENT_VARIABLE) or TEST_DAY)
    if read_at := os.environ.get(READ_AT_VARIABLE):
        moment += datetime.timedelta(seconds=time.time() - float(read_at))
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    return traveller


def environment() -> dict[str, str]:
    """What a child process needs to read the same clock as this one, from now on."""
    return {
        ENVIRONMENT_VARIABLE: datetime.datetime.now(datetime.UTC).isoformat(),
        READ_AT_VARIABLE: repr(time_machine.escape_hatch.time.time()),
    }


def main() -> None:
    """``python -m tests.clock MODULE ARGS…``: run MODULE as ``python -m`` would, on the parent's clock."""
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m tests.clock MODULE [ARGS…]")
    start()
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
