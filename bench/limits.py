"""Issue #14 under load: the production path (nginx with the configs deploy/ ships, granian, the two Celery lanes and
beat, two Redis servers with maxmemory, PostgreSQL) on 127.0.0.1, three scenarios, figures printed.

1. Scan flood: wrk through the Kubernetes sidecar's nginx (clients told apart by the X-Forwarded-For an ingress
   writes) from FLOOD_CLIENTS addresses, as fast as it goes (wrk -c128) for FLOOD_SECONDS: nginx sheds what is
   over each client's limit, the app takes the rest. Meanwhile: a legitimate scan every 0.5 s from one client,
   Redis memory every second against its maxmemory, and a revocation in the middle, timed until the product is
   unpublished on the four local marketplaces (the fakes of integrations/marketplaces/tests/platforms.py). The
   flood's rate is printed against the scan page's capacity measured first (wrk straight at granian).
2. Bulk lane: 20 issuance jobs of 100,000 serials queued (quotas raised for the run), then a revocation, timed the
   same way; the bulk queue is purged at the end.
3. GraphQL abuse: 50 clients (wrk -c50, 50 X-Forwarded-For addresses) sending deep, aliased and wide queries;
   the time each refusal takes, and the p99 of another page (/products/) before and during the abuse.

   Each abusive client sends ABUSE_RATE requests a second; the /products/ probe is steady traffic; alone and
   during the abuse alternate ABUSE_ROUNDS times, medians printed.

Run: .venv/bin/python bench/limits.py   (env: SCENARIOS=123 FLOOD_SECONDS=60 ABUSE_SECONDS=20 ABUSE_ROUNDS=3
ABUSE_RATE=20 PAGE_RATE=10 ITEMS=20000 BULK_JOBS=20 BULK_SERIALS=100000). It loads the machine: run it alone.
Needs wrk, nginx and redis-server (Debian packages).
"""

import datetime
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.processes import Processes, free_port, wait_for, wait_port  # noqa: E402

WORK = ROOT / "var" / "bench" / "limits"
PG = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "ocop_bench_limits")
FLOOD_SECONDS = int(os.environ.get("FLOOD_SECONDS", "60"))
ABUSE_SECONDS = int(os.environ.get("ABUSE_SECONDS", "20"))
ITEMS = int(os.environ.get("ITEMS", "20000"))
BULK_JOBS = int(os.environ.get("BULK_JOBS", "20"))
BULK_SERIALS = int(os.environ.get("BULK_SERIALS", "100000"))
FLOOD_CLIENTS = int(os.environ.get("FLOOD_CLIENTS", "50"))
SCENARIOS = os.environ.get("SCENARIOS", "123")
# Scenario 3's pace: each abusive client sends ABUSE_RATE requests a second (ten times the API's limit per client;
# 0: as fast as wrk goes, which on this 2-core machine measures wrk's own CPU more than the server's), and the
# /products/ probe is steady traffic (PAGE_RATE a second on each of 2 connections), not a second flood.
ABUSE_RATE = float(os.environ.get("ABUSE_RATE", "20"))
ABUSE_ROUNDS = int(os.environ.get("ABUSE_ROUNDS", "3"))
PAGE_RATE = float(os.environ.get("PAGE_RATE", "10"))
CACHE_MAXMEMORY = 64 * 1024 * 1024
BROKER_MAXMEMORY = 64 * 1024 * 1024
PYTHON = sys.executable
processes = Processes(WORK)
start, stop_all = processes.start, processes.stop_all

# --- Environment: two Redis servers as deploy/ runs them, the scratch database --------------------------------

WORK.mkdir(parents=True, exist_ok=True)
CACHE_PORT, BROKER_PORT = free_port(), free_port()
start(
    [
        "redis-server",
        "--port",
        str(CACHE_PORT),
        "--save",
        "",
        "--appendonly",
        "no",
        "--maxmemory",
        str(CACHE_MAXMEMORY),
        "--maxmemory-policy",
        "allkeys-lru",
    ],
    "redis-cache.log",
)
start(
    [
        "redis-server",
        "--port",
        str(BROKER_PORT),
        "--save",
        "",
        "--appendonly",
        "no",
        "--maxmemory",
        str(BROKER_MAXMEMORY),
        "--maxmemory-policy",
        "noeviction",
    ],
    "redis-broker.log",
)
from bench.secrets_env import use_throwaway_keys  # noqa: E402

use_throwaway_keys()
APP_PORT, PROXY_PORT = free_port(), free_port()
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "ocop.settings",
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdef-limits",
        "LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,ocop.test",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": f"redis://127.0.0.1:{CACHE_PORT}/1",
        "INTEGRATIONS_REDIS_URL": f"redis://127.0.0.1:{CACHE_PORT}/1",
        "TRACEABILITY_SCAN_QUEUE_URL": f"redis://127.0.0.1:{CACHE_PORT}/2",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{BROKER_PORT}/0",
        "TRUSTED_PROXY_COUNT": "2",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{PROXY_PORT}",
        "OUTBOX_DRAIN_INTERVAL": "1",
        "TRACEABILITY_SCAN_QUEUE_MAX": "20000",
        # scenario 2 is about the lanes, not the quotas: room for 20 × 100,000 serials at once
        "TRACEABILITY_QUOTA_SERIALS_PER_DAY": "100000000",
        "TRACEABILITY_QUOTA_PENDING_JOBS": "1000",
        "GRAPHQL_RATE_LIMIT": "100000/m",
    }
)
exists = f"SELECT 1 FROM pg_database WHERE datname='{DB}'"  # noqa: S608 - our own constant
if (
    subprocess.run(  # noqa: S603
        ["psql", f"{PG}/postgres", "-qtAc", exists],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.strip()
    != "1"
):
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)  # noqa: S603,S607
subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)  # noqa: S603
print(f"seeding {ITEMS} serials (first run only)…", flush=True)
subprocess.run(  # noqa: S603
    [PYTHON, "bench/scan_seed.py", str(WORK / "paths.txt"), str(ITEMS)],
    cwd=ROOT,
    check=True,
    stdout=subprocess.DEVNULL,
)

import django  # noqa: E402

django.setup()
import redis  # noqa: E402
from django.db import connection  # noqa: E402

from catalog import services as catalog_services  # noqa: E402
from catalog.evaluation_path import record_path  # noqa: E402
from catalog.models import Certificate, Commune, Level, Producer, Product, ProductGroup  # noqa: E402
from integrations.marketplaces.tests.platforms import OPTIONS, PLATFORMS  # noqa: E402
from integrations.models import Destination  # noqa: E402
from integrations.tests.fixtures import CREDENTIALS  # noqa: E402
from storefront.models import ProductListing  # noqa: E402
from tests.security.nginx import Nginx, nginx_binary, render_k8s  # noqa: E402
from traceability import services  # noqa: E402
from traceability.models import IssuanceJob, Lot  # noqa: E402

cache_redis = redis.Redis(port=CACHE_PORT)
broker_redis = redis.Redis(port=BROKER_PORT)
cache_redis.flushall()
broker_redis.flushall()

# --- The platform: granian, nginx (the k8s sidecar config), the two worker lanes and beat -----------------------

static = WORK / "static"
(static / "errors").mkdir(parents=True, exist_ok=True)
shutil.copy(ROOT / "ocop" / "static" / "errors" / "429.html", static / "errors" / "429.html")
for folder in ("media", "private"):
    (WORK / folder).mkdir(exist_ok=True)
start(
    [
        str(Path(PYTHON).parent / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(APP_PORT),
        "--workers",
        "2",
        "--blocking-threads",
        "2",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        "--no-access-log",
        "ocop.wsgi:application",
    ],
    "granian.log",
)
site = render_k8s(port=PROXY_PORT, app_port=APP_PORT, static=static, media=WORK / "media", private=WORK / "private")
nginx = Nginx(nginx_binary(), WORK / "nginx", site, [PROXY_PORT])
# the tests' main config allows 64 connections; a flood needs more (each proxied request holds two)
nginx.conf.write_text(nginx.conf.read_text().replace("worker_connections 64;", "worker_connections 8192;"))
nginx.start()
worker = [
    PYTHON,
    "-m",
    "celery",
    "-A",
    "ocop",
    "worker",
    "--without-gossip",
    "--without-mingle",
    "--loglevel=WARNING",
    "--concurrency=2",
]
start([*worker, "-Q", "celery", "-n", "urgent@%h"], "worker-urgent.log")
bulk_worker = start([*worker, "-Q", "bulk", "-n", "bulk@%h"], "worker-bulk.log")
start(
    [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "ocop",
        "beat",
        "--loglevel=WARNING",
        "--schedule",
        str(WORK / "celerybeat-schedule"),
    ],
    "beat.log",
)
wait_port(APP_PORT)
time.sleep(3)

# --- Four local marketplaces, three products listed on them -----------------------------------------------------

platforms = {kind: PLATFORMS[kind]() for kind in ("shopee", "lazada", "tiktok", "tiki")}
Destination.objects.all().delete()
for kind, server in platforms.items():
    destination = Destination(
        kind=kind, name=f"{kind} bench", base_url=server.url, options=OPTIONS[kind], rate_per_second=200, burst=200
    )
    destination.set_credentials(dict(CREDENTIALS[kind]))
    destination.save()
commune = Commune.objects.first()
producer = Producer.objects.create(
    kind=Producer.Kind.COOPERATIVE,
    name="HTX Bench lanes",
    commune=commune,
    registration_number=f"60{random.randint(10**7, 10**8 - 1)}",
)
group = ProductGroup.objects.get(code="1")
stamp = int(time.time())
products = []
for n in range(2):
    product = Product.objects.create(producer=producer, name_vi=f"Cà phê thu hồi {stamp}-{n}", group=group)
    ProductListing.objects.create(product=product, price=150000, stock=12, sku=f"BENCH-{stamp}-{n}", weight_grams=250)
    record_path(product, stars=4, on=datetime.date(2025, 9, 1), level=Level.PROVINCE)
    catalog_services.issue_certification(
        number=f"{stamp}-{n}/QĐ-BENCH",
        signed_on=datetime.date(2025, 9, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        awards=[catalog_services.Award(product=product, stars=4)],
        actor=None,
    )
    products.append(product)


def listed_everywhere(sku: str, value: bool) -> bool:
    return all(server.listed().get(sku) is value for server in platforms.values())


for product in products:
    sku = product.store_listing.sku
    took = wait_for(lambda sku=sku: listed_everywhere(sku, True), 60)
    print(f"{product.name_vi}: listed on 4 marketplaces" + (f" after {took:.1f} s" if took else " — NOT LISTED"))


def revoke(product) -> float | None:
    """Revoke the product's certificate; seconds until it is unpublished on every marketplace."""
    certificate = Certificate.objects.get(product=product, status=Certificate.Status.ACTIVE)
    catalog_services.revoke_certificates(
        number=f"R{product.pk}/QĐ-BENCH",
        signed_on=datetime.date(2026, 11, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="bench",
        certificates=[certificate],
        actor=None,
    )
    sku = product.store_listing.sku
    return wait_for(lambda: listed_everywhere(sku, False), 30)


def seconds(value: float | None) -> str:
    return f"{value:.2f} s" if value is not None else "MORE THAN 30 s (not delisted)"


# --- wrk helpers ---------------------------------------------------------------------------------------------


def ms(text: str) -> float:
    value = float(text.rstrip("usm"))
    return (
        value / 1000
        if text.endswith("us")
        else value * 1000
        if text.endswith("s") and not text.endswith("ms")
        else value
    )


def wrk(name: str, url: str, seconds: int, connections: int, script: str | None = None, env=None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout  # noqa: S603
    (WORK / f"{name}.txt").write_text(output)
    figures = {"rps": 0.0, "p50": None, "p99": None, "non2xx": 0, "requests": 0}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec"):
            figures["rps"] = float(parts[1])
        elif parts[:1] == ["50%"]:
            figures["p50"] = ms(parts[1])
        elif parts[:1] == ["99%"]:
            figures["p99"] = ms(parts[1])
        elif "Non-2xx" in line:
            figures["non2xx"] = int(parts[-1])
        elif "requests in" in line:
            figures["requests"] = int(parts[0])
    figures["statuses"] = {}
    for line in output.splitlines():
        if line.startswith("status "):
            code, count = line.split()[1:3]
            figures["statuses"][code] = int(count)
    return figures


LUA = WORK / "lua"
LUA.mkdir(exist_ok=True)
COUNT_STATUSES = """
local counts = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("status %d %d\\n", code, n)) end
end
"""
(LUA / "scan_flood.lua").write_text(f"""
CLIENTS = {FLOOD_CLIENTS}
local paths = {{}}
for line in io.lines("{WORK / "paths.txt"}") do paths[#paths + 1] = line end
math.randomseed(os.time())
counter = 0
request = function()
  counter = counter + 1
  local ip = "10.77.0." .. (counter % CLIENTS + 1)
  local path = paths[math.random(#paths)]
  if math.random() < 0.5 then path = "/q/" .. string.format("%016d", math.random(1, 99999999)) end
  return wrk.format("GET", path, {{["X-Forwarded-For"] = ip}})
end
{COUNT_STATUSES}""")
(LUA / "scan_direct.lua").write_text(f"""
local paths = {{}}
for line in io.lines("{WORK / "paths.txt"}") do paths[#paths + 1] = line end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
""")
DEEP = '{ product(id: "1") { certificate { product { certificate { product { certificate { product { id } } } } } } } }'
ALIASED = "{ " + " ".join(f"a{n}: products {{ totalCount }}" for n in range(200)) + " }"
WIDE = "{ products(first: 100) { items { " + "id nameVi nameEn descriptionVi descriptionEn " * 12 + "} } }"
for name, query in {"deep": DEEP, "aliased": ALIASED, "wide": WIDE}.items():
    (LUA / f"{name}.json").write_text(json.dumps({"query": query}))
(LUA / "graphql_abuse.lua").write_text(
    """
CLIENTS = 50
DELAY = %d
function delay() return DELAY end
local bodies = {}
for _, name in ipairs({"deep", "aliased", "wide"}) do
  local file = io.open("%s/" .. name .. ".json")
  bodies[#bodies + 1] = file:read("*a")
  file:close()
end
math.randomseed(os.time())
counter = 0
request = function()
  counter = counter + 1
  local ip = "10.77.1." .. (counter % CLIENTS + 1)
  return wrk.format("POST", "/graphql/", {["X-Forwarded-For"] = ip, ["Content-Type"] = "application/json"},
                    bodies[math.random(#bodies)])
end
""".replace("%s", str(LUA)).replace("%d", str(round(1000 / ABUSE_RATE) if ABUSE_RATE else 0))
    + COUNT_STATUSES
)
(LUA / "page.lua").write_text(f"""
function delay() return {round(1000 / PAGE_RATE) if PAGE_RATE else 0} end
math.randomseed(os.time() + 7)
request = function()
  local ip = "10.9." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("GET", "/products/?q=ca+phe", {{["X-Forwarded-For"] = ip}})
end
""")

# --- Scenario 1: scan flood -----------------------------------------------------------------------------------


def scan_flood() -> None:
    print("\n== capacity of the scan page (wrk -c50 straight at granian, 10 s)")
    capacity = wrk("capacity", f"http://127.0.0.1:{APP_PORT}", 10, 50, str(LUA / "scan_direct.lua"))
    print(f"   {capacity['rps']:.0f} scans/s, p99 {capacity['p99']} ms")

    legit_path = (WORK / "paths.txt").read_text().split("\n", 1)[0].strip()
    samples = {"legit": [], "memory": [], "queue": []}
    scan_redis = redis.Redis(port=CACHE_PORT, db=2)
    stop_sampling = threading.Event()

    def sample() -> None:
        import http.client

        while not stop_sampling.is_set():
            started = time.monotonic()
            try:
                connection_ = http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=10)
                connection_.request("GET", legit_path, headers={"X-Forwarded-For": "198.51.100.77"})
                status = connection_.getresponse().status
                connection_.close()
            except OSError:
                status = 0
            samples["legit"].append((status, (time.monotonic() - started) * 1000))
            samples["memory"].append(cache_redis.info("memory")["used_memory"])
            samples["queue"].append(scan_redis.llen("traceability:scans"))
            stop_sampling.wait(0.5)

    print(f"\n== scenario 1: scan flood through nginx for {FLOOD_SECONDS} s (wrk -c128 from {FLOOD_CLIENTS} clients)")
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = {}
    flood = threading.Thread(
        target=lambda: result.update(
            wrk("flood", f"http://127.0.0.1:{PROXY_PORT}", FLOOD_SECONDS, 128, str(LUA / "scan_flood.lua"))
        )
    )
    flood.start()
    time.sleep(FLOOD_SECONDS / 2)
    delist_1 = revoke(products[0])
    flood.join()
    stop_sampling.set()
    sampler.join()
    statuses = result.get("statuses", {})
    legit = samples["legit"]
    legit_ok = [latency for status, latency in legit if status == 200]
    print(
        f"   offered {result['rps']:.0f} req/s = {result['rps'] / max(capacity['rps'], 1):.1f}× capacity; "
        f"statuses {statuses}; p99 {result['p99']} ms"
    )
    print(
        f"   Redis (cache/scans) used_memory max {max(samples['memory']) / 2**20:.1f} MiB of "
        f"{CACHE_MAXMEMORY / 2**20:.0f} MiB; scan queue max {max(samples['queue'])} entries (cap 20000)"
    )
    time.sleep(6)  # the next ingest reports what the cap dropped
    dropped = sum(
        int(line.split("Scan queue full: ")[1].split()[0])
        for line in (WORK / "worker-bulk.log").read_text().splitlines()
        if "Scan queue full: " in line
    )
    print(f"   scans dropped at the cap and counted: {dropped}")
    print(
        f"   legitimate scans: {len(legit_ok)}/{len(legit)} answered 200, p50 "
        f"{statistics.median(legit_ok) if legit_ok else float('nan'):.0f} ms, max {max(legit_ok or [0]):.0f} ms"
    )
    print(f"   revocation during the flood: unpublished on 4 marketplaces in {seconds(delist_1)}")


# --- Scenario 2: bulk lane --------------------------------------------------------------------------------------


def bulk_lane() -> None:
    print(f"\n== scenario 2: {BULK_JOBS} issuance jobs of {BULK_SERIALS:,} serials queued, then a revocation")
    lot = Lot.objects.filter(product__producer__name="HTX Bench Buôn Ma Thuột").first()
    for _ in range(BULK_JOBS):
        services.start_issuance(lot=lot, count=BULK_SERIALS, actor=None)
    time.sleep(3)
    print(
        f"   bulk queue: {broker_redis.llen('bulk')} waiting, "
        f"{IssuanceJob.objects.filter(status='running').count()} running"
    )
    delist_2 = revoke(products[1])
    print(f"   revocation: unpublished on 4 marketplaces in {seconds(delist_2)}")
    # Stop the bulk work (bounded run): the bulk worker is killed mid-job, its queue emptied.
    os.killpg(bulk_worker.pid, signal.SIGKILL)
    broker_redis.delete("bulk")
    issued = sum(
        IssuanceJob.objects.filter(lot=lot, status__in=["pending", "running"]).values_list("issued", flat=True)
    )
    IssuanceJob.objects.filter(status__in=["pending", "running"]).update(status="failed", error="bench: stopped")
    print(f"   {issued:,} serials issued by the bulk lane meanwhile; bulk worker stopped")


# --- Scenario 3: GraphQL abuse ---------------------------------------------------------------------------------


def graphql_abuse() -> None:
    pace = f"{ABUSE_RATE:g} requests/s each" if ABUSE_RATE else "as fast as they can"
    print(
        f"\n== scenario 3: GraphQL abuse, 50 concurrent clients ({pace}) for {ABUSE_SECONDS} s; /products/ at "
        f"{2 * PAGE_RATE:g} requests/s alongside"
    )
    # Alone and during the abuse, alternating ABUSE_ROUNDS times: the machine's other load shifts both alike.
    alone, during, refusals = [], [], []
    for round_ in range(1, ABUSE_ROUNDS + 1):
        alone.append(
            wrk(f"page-alone-{round_}", f"http://127.0.0.1:{PROXY_PORT}", ABUSE_SECONDS, 2, str(LUA / "page.lua"))
        )
        page = {}
        pages = threading.Thread(
            target=lambda round_=round_, page=page: page.update(
                wrk(f"page-during-{round_}", f"http://127.0.0.1:{PROXY_PORT}", ABUSE_SECONDS, 2, str(LUA / "page.lua"))
            )
        )
        pages.start()
        abuse = wrk(
            f"graphql-abuse-{round_}",
            f"http://127.0.0.1:{PROXY_PORT}",
            ABUSE_SECONDS,
            50,
            str(LUA / "graphql_abuse.lua"),
        )
        pages.join()
        during.append(page)
        refusals.append(abuse)
        print(
            f"   round {round_}: abuse {abuse['rps']:.0f} req/s, statuses {abuse['statuses']}, refusal p50 "
            f"{abuse['p50']} ms, p99 {abuse['p99']} ms; /products/ p99 {alone[-1]['p99']} ms alone, "
            f"{page['p99']} ms during"
        )
    refusal_p99 = statistics.median(abuse["p99"] for abuse in refusals)
    alone_p99 = statistics.median(figures["p99"] for figures in alone)
    during_p99 = statistics.median(figures["p99"] for figures in during)
    print(
        f"   median of {ABUSE_ROUNDS} rounds: refusal p99 {refusal_p99} ms (target < 50 ms); /products/ p99 "
        f"{alone_p99} ms alone, {during_p99} ms during the abuse ({(during_p99 / alone_p99 - 1) * 100:+.0f} %, "
        "target within 20 %)"
    )


for number, scenario in enumerate((scan_flood, bulk_lane, graphql_abuse), start=1):
    if str(number) in SCENARIOS:
        scenario()

connection.close()
for server in platforms.values():
    server.close()
nginx.stop()
stop_all()
print("\nraw wrk outputs:", WORK)
