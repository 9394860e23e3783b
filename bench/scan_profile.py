"""Per-request CPU of the scan page, in-process (no server, no load generator): calls the WSGI application
directly for random serials, like the benchmark's requests, and prints µs of CPU per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_trace DJANGO_SECRET_KEY=x \
    DJANGO_ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/scan_profile.py var/bench/scan/paths.txt [N] [--profile]

Run bench/scan.sh once first (it migrates and seeds the scratch database and writes the paths file).
``--profile`` prints the top functions by cumulative time (cProfile) for each route.
"""

import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from bench.secrets_env import use_throwaway_keys  # noqa: E402

use_throwaway_keys()

from ocop import wsgi  # noqa: E402

ROUNDS = 5


def environ(path: str) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8791",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8791",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_LANGUAGE": "vi,en;q=0.8",
        "HTTP_USER_AGENT": "wrk",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(app, path: str) -> str:
    status = []
    body = app(environ(path), lambda s, h, exc_info=None: status.append(s))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return status[0]


def measure(name: str, app, paths: list[str], n: int, profile: bool) -> float:
    for path in paths[:200]:  # warm-up: caches, prepared statement, connection
        call(app, path)
    sample = random.choices(paths, k=n)
    profiler = cProfile.Profile() if profile else None
    statuses = {}
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for path in sample:
        status = call(app, path)
        statuses[status] = statuses.get(status, 0) + 1
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:
        print(name)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return 1e6 * cpu / n


def main() -> None:
    paths = Path(sys.argv[1]).read_text().split()
    n = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 3000
    profile = "--profile" in sys.argv
    django_application = getattr(wsgi, "django_application", wsgi.application)
    routes = [("full Django stack", django_application)]
    if wsgi.application is not django_application:
        routes.append(("lean scan path", wsgi.application))
    if profile:
        for name, app in routes:
            measure(name, app, paths, n, profile=True)
        return
    # The machine may be shared: alternate the routes over a few rounds and keep each one's best.
    results = {name: [] for name, _ in routes}
    for _ in range(ROUNDS):
        for name, app in routes:
            results[name].append(measure(name, app, paths, n, profile=False))
    for name, figures in results.items():
        print(
            f"{name:20} {min(figures):6.0f} µs CPU/request (best of {ROUNDS}; median "
            f"{sorted(figures)[ROUNDS // 2]:.0f}; {n} requests each)"
        )


if __name__ == "__main__":
    main()
