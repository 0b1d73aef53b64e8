#!/usr/bin/env python3
"""Conversation Archive benchmarks: the service against its baselines, in one run.

Each figure is printed as a ratio against a baseline measured in the same run on the
same Elasticsearch, so that the machine's speed cancels out. See bench/README.md.
"""
import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import zipfile
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, ".data")


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- HTTP ------------------------------------------------------------------------------

class Http:
    """A keep-alive HTTP/1.1 connection to one host."""

    def __init__(self, port, host="127.0.0.1", timeout=600, headers=None):
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = headers or {}
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
                response = self.connection.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.HTTPException, ConnectionError, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")

    def json(self, method, path, document=None, expect=(200, 201)):
        body = json.dumps(document).encode() if document is not None else None
        status, data = self.request(method, path, body, {"Content-Type": "application/json"})
        if expect and status not in expect:
            raise RuntimeError(f"{method} {path} answered {status}: {data[:500]!r}")
        return json.loads(data) if data else None


def wait_for(port, path, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            status, _ = Http(port, timeout=5).request("GET", path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered 200 at :{port}{path} within {timeout}s")


def stat_seconds(path):
    """User plus system CPU seconds of a /proc stat file (a process's or a thread's)."""
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """CPU time used by a process and its children so far."""
    total = 0.0
    for task in [pid] + children(pid):
        try:
            total += stat_seconds(f"/proc/{task}/stat")
        except OSError:
            pass
    return total


def jit_seconds(pid):
    """CPU time the JIT compiler threads of a process (and its children) used so far: high
    while a JVM still compiles the code a workload runs, near zero once it is warm."""
    total = 0.0
    for task in [pid] + children(pid):
        try:
            threads = os.listdir(f"/proc/{task}/task")
        except OSError:
            continue
        for thread in threads:
            try:
                with open(f"/proc/{task}/task/{thread}/comm") as f:
                    if re.match(r"C[12] CompilerThre", f.read()):
                        total += stat_seconds(f"/proc/{task}/task/{thread}/stat")
            except OSError:
                pass
    return total


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
                        found += children(int(entry))
            except OSError:
                pass
    return found


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- The parts under test --------------------------------------------------------------

def java_home():
    """A JDK 21+: JAVA_HOME when it is one, else the newest under /usr/lib/jvm."""
    candidates = [os.environ.get("JAVA_HOME")] if os.environ.get("JAVA_HOME") else []
    if os.path.isdir("/usr/lib/jvm"):
        candidates += sorted((os.path.join("/usr/lib/jvm", d) for d in os.listdir("/usr/lib/jvm")), reverse=True)
    for home in candidates:
        release = os.path.join(home, "release")
        if os.path.exists(release):
            with open(release) as f:
                for line in f:
                    if line.startswith("JAVA_VERSION="):
                        version = line.split("=", 1)[1].strip().strip('"')
                        if int(version.split(".")[0]) >= 21:
                            return home
    raise SystemExit("No JDK 21+ found: set JAVA_HOME to one.")


def java():
    return os.path.join(java_home(), "bin", "java")


_JAR = []


def jar():
    """The service jar, copied once per run: a build during a long run cannot pull it away
    from under the running service."""
    if _JAR:
        return _JAR[0]
    target = os.path.join(ROOT, "target")
    jars = [f for f in os.listdir(target) if f.startswith("conversation-archive-") and f.endswith(".jar")] \
        if os.path.isdir(target) else []
    if not jars:
        raise SystemExit("No service jar: run ./mvnw -DskipTests package first (bench/run does).")
    os.makedirs(DATA, exist_ok=True)
    copy = os.path.join(DATA, "service.jar")
    shutil.copy2(os.path.join(target, sorted(jars)[-1]), copy)
    _JAR.append(copy)
    return copy


def distribution():
    base = os.path.join(ROOT, "target", "elasticsearch")
    dists = [d for d in os.listdir(base) if d.startswith("elasticsearch-")] if os.path.isdir(base) else []
    if not dists:
        raise SystemExit("No Elasticsearch distribution under target/elasticsearch: build the project first.")
    return os.path.join(base, dists[0])


def install_analysis_plugin(dist):
    """The archive's analysis plugin (stemming, folding, elision), which the minimal
    distribution lacks and the service needs: what the embedded engine installs at its
    start, here from the build's zip, when the distribution does not have it yet."""
    plugin = os.path.join(dist, "plugins", "archive-analysis")
    if os.path.isdir(plugin):
        return
    archive = os.path.join(ROOT, "target", "classes", "elasticsearch-plugin", "archive-analysis.zip")
    if not os.path.isfile(archive):
        raise SystemExit(f"No analysis plugin at {archive}: build the project first.")
    staging = os.path.join(dist, ".archive-analysis.staging")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(staging)
    for root, dirs, files in os.walk(staging):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)
    os.rename(staging, plugin)


class Engine:
    """One Elasticsearch node, as the service's embedded default runs it. Its data is kept
    between runs (the loaded conversations are reused) unless fresh is asked."""

    def __init__(self, heap, fresh=False):
        self.port = free_port()
        self.home = os.path.join(DATA, "engine")
        if fresh:
            shutil.rmtree(self.home, ignore_errors=True)
        for sub in ("data", "logs"):
            os.makedirs(os.path.join(self.home, sub), exist_ok=True)
        if not os.path.isdir(os.path.join(self.home, "config")):
            shutil.copytree(os.path.join(distribution(), "config"), os.path.join(self.home, "config"))
        install_analysis_plugin(distribution())
        command = [os.path.join(distribution(), "bin", "elasticsearch"),
                   "-E", "discovery.type=single-node", "-E", "xpack.security.enabled=false",
                   "-E", "network.host=127.0.0.1", "-E", f"http.port={self.port}",
                   "-E", f"transport.port={self.port + 1}-{self.port + 50}",
                   "-E", f"path.data={self.home}/data", "-E", f"path.logs={self.home}/logs",
                   "-E", "cluster.routing.allocation.disk.threshold_enabled=false"]
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "nobody:nogroup", self.home], check=True)
            os.chmod(DATA, 0o755)
            command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + command
        env = {k: v for k, v in os.environ.items() if not k.startswith("ES_")}
        env.update(ES_JAVA_HOME=java_home(), ES_PATH_CONF=os.path.join(self.home, "config"),
                   ES_JAVA_OPTS=f"-Xms{heap} -Xmx{heap}", HOME=self.home)
        self.process = subprocess.Popen(command, env=env, stdout=open(os.path.join(self.home, "console.log"), "w"),
                                        stderr=subprocess.STDOUT)
        wait_for(self.port, "/_cluster/health?wait_for_status=yellow&timeout=1s")
        self.http = Http(self.port)
        log(f"Elasticsearch up on :{self.port} (heap {heap})")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)


BENCH_KEY = "bench-administrator-key-0123456789"


class Service:
    """The archive's jar, against the bench's Elasticsearch."""

    def __init__(self, engine, prefix, heap="1g", extra=None):
        self.port = free_port()
        env = dict(os.environ)
        env.update(SPRING_ELASTICSEARCH_URIS=f"http://127.0.0.1:{engine.port}",
                   ARCHIVE_DATA_DIR=os.path.join(DATA, "service"), ARCHIVE_DEMO_ENABLED="false",
                   ARCHIVE_ELASTICSEARCH_INDEX_PREFIX=prefix, SERVER_PORT=str(self.port),
                   ARCHIVE_SECURITY_BOOTSTRAP_KEY=BENCH_KEY)
        env.update(extra or {})
        self.log = open(os.path.join(DATA, f"service-{prefix}.log"), "w")
        self.gc_log = os.path.join(DATA, f"service-{prefix}-gc.log")
        self.process = subprocess.Popen([java(), f"-Xmx{heap}", f"-Xlog:gc:file={self.gc_log}", "-jar", jar()],
                                        env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, cwd=ROOT)
        wait_for(self.port, "/actuator/health")
        self.http = Http(self.port, headers={"Authorization": "Bearer " + BENCH_KEY})
        log(f"Service up on :{self.port} (index prefix {prefix})")

    def pid(self):
        return self.process.pid

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)


# --- Data ------------------------------------------------------------------------------

def conversations(count):
    """The generator's conversations, made once per count and seed and reused."""
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"conversations-{count}.ndjson")
    if not os.path.exists(path):
        log(f"Generating {count} conversations into {path}")
        subprocess.run([java(), "-jar", jar(), "generate", "--count", str(count), "--seed", "7",
                        "--out", path + ".partial"], check=True)
        os.rename(path + ".partial", path)
    return path


def lines(path, limit=None):
    with open(path, "rb") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            if line.strip():
                yield line


# --- Ingest ----------------------------------------------------------------------------

def ingest_service(service, path, batch_lines):
    """POSTs the NDJSON to the service's _bulk, one request per batch_lines lines."""
    started = time.perf_counter()
    count = 0
    chunk = []
    for line in lines(path):
        chunk.append(line)
        if len(chunk) == batch_lines:
            count += post_service_bulk(service, chunk)
            chunk = []
    if chunk:
        count += post_service_bulk(service, chunk)
    return count, time.perf_counter() - started


def post_service_bulk(service, chunk):
    status, data = service.http.request("POST", "/api/v1/conversations/_bulk", b"".join(chunk),
                                        {"Content-Type": "application/x-ndjson"})
    result = json.loads(data)
    if status != 200 or result.get("errors"):
        failed = [i for i in result.get("items", []) if i["status"] >= 300][:3]
        raise RuntimeError(f"service bulk failed ({status}): {failed or data[:300]}")
    return result["created"] + result["replaced"]


def dump_index_documents(engine, prefix, out_path):
    """Writes the documents the service indexed, as _bulk action and source lines."""
    with open(out_path, "wb") as out:
        status, data = engine.http.request("POST", f"/{prefix}-conversations/_search?scroll=2m",
                                           json.dumps({"size": 1000, "sort": ["_doc"]}).encode(),
                                           {"Content-Type": "application/json"})
        page = json.loads(data)
        count = 0
        while page["hits"]["hits"]:
            for hit in page["hits"]["hits"]:
                action = {"index": {"_index": hit["_index"].replace(prefix + "-", "raw-" + prefix + "-", 1),
                                    "_id": hit["_id"], "routing": hit.get("_routing")}}
                out.write(json.dumps(action).encode() + b"\n" + json.dumps(hit["_source"]).encode() + b"\n")
                count += 1
            status, data = engine.http.request("POST", "/_search/scroll",
                                               json.dumps({"scroll": "2m", "scroll_id": page["_scroll_id"]}).encode(),
                                               {"Content-Type": "application/json"})
            page = json.loads(data)
    return count


def copy_templates(engine, prefix):
    """The raw baseline's indices get exactly the service's mappings and settings."""
    templates = engine.http.json("GET", f"/_index_template/{prefix}-conversations")["index_templates"][0]
    body = templates["index_template"]
    body["index_patterns"] = [f"raw-{prefix}-conversations-*"]
    body["composed_of"] = []
    merged = {"settings": {}, "mappings": {}}
    for name in [f"{prefix}-conversations-settings", f"{prefix}-conversations-mappings"]:
        component = engine.http.json("GET", f"/_component_template/{name}")["component_templates"][0]
        template = component["component_template"]["template"]
        deep_merge(merged["settings"], template.get("settings", {}))
        deep_merge(merged["mappings"], template.get("mappings", {}))
    body["template"] = merged
    for managed in ("_meta", "created_date", "created_date_millis", "modified_date", "modified_date_millis"):
        body.pop(managed, None)
    engine.http.json("PUT", f"/_index_template/raw-{prefix}-conversations", body)


def deep_merge(into, other):
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            deep_merge(into[key], value)
        else:
            into[key] = value


def ingest_raw(engine, bulk_path, batch_docs):
    started = time.perf_counter()
    count = 0
    chunk = []
    with open(bulk_path, "rb") as f:
        while True:
            action = f.readline()
            if not action:
                break
            chunk.append(action + f.readline())
            if len(chunk) == batch_docs:
                count += post_raw_bulk(engine, chunk)
                chunk = []
    if chunk:
        count += post_raw_bulk(engine, chunk)
    return count, time.perf_counter() - started


def post_raw_bulk(engine, chunk):
    status, data = engine.http.request("POST", "/_bulk", b"".join(chunk), {"Content-Type": "application/x-ndjson"})
    result = json.loads(data)
    if status != 200 or result.get("errors"):
        raise RuntimeError(f"raw bulk failed: {data[:300]!r}")
    return len(result["items"])


def delete_indices(engine, pattern):
    """Deletes the indices a pattern names. Elasticsearch refuses wildcards in a delete
    (action.destructive_requires_name), so the names are resolved first."""
    # A name that does not exist (yet) is no error: there is nothing of it to delete.
    resolved = engine.http.json("GET", f"/_resolve/index/{pattern}?expand_wildcards=all&ignore_unavailable=true")
    names = [index["name"] for index in resolved.get("indices", [])]
    if names:
        engine.http.json("DELETE", "/" + ",".join(names))


def wait_for_merges(engine, timeout=300):
    """Waits until Elasticsearch merges nothing, so that a round does not pay for the
    segments the round before left behind."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        nodes = engine.http.json("GET", "/_nodes/stats/indices/merge")["nodes"]
        if all(node["indices"]["merges"]["current"] == 0 for node in nodes.values()):
            return
        time.sleep(1)


def warm_up_ingest(engine, service, prefix, count=20000):
    """A freshly started service compiles its ingest path while it runs: one unmeasured
    ingest of other conversations (other ids, other contacts) first, so that the round
    measures a warm service as Elasticsearch is warm, then empty indices again."""
    warm = os.path.join(DATA, f"warm-up-{count}.ndjson")
    if not os.path.exists(warm):
        subprocess.run([java(), "-jar", jar(), "generate", "--count", str(count), "--seed", "13",
                        "--out", warm + ".partial"], check=True)
        rewrite_ids(warm + ".partial", "warm-up-", contacts=True)
        os.rename(warm + ".partial", warm)
    ingest_service(service, warm, 5000)
    time.sleep(3)
    delete_indices(engine, f"{prefix}-conversations-*,{prefix}-contacts")
    wait_for_merges(engine)


def warm_up_service_ingest(engine, service, prefix, count, least=4, most=8, settled=0.6):
    """Warms a freshly started service as a long-running one is: ingests of other
    conversations, as many a stream as the measured one (at most 100,000), until its JIT
    compiler spends less than `settled` CPU seconds in one (at least `least`, at most
    `most`).
    The code a stream runs only every few seconds (the contact recounts under a stream of
    writes, each bulk request's HTTP and database paths) reaches the compile thresholds
    slowly: warmed by streams of 20,000 until one compiled < 0.3 s, the service still
    compiled 1.0-1.9 s in the measured 100,000 (820 methods at tier 3 in one round, most
    of them the HTTP client's, the Elasticsearch client's and H2's); ingests of 100,000
    compiled 7.6, 1.0, 1.8, 1.1, 0.55, 0.47 and 0.44 s in a row (2026-12-01), and a
    measured round after three that ended below 0.6 s still compiled 1.2-1.3 s: the
    compiling comes in bursts, hence at least four.
    Returns the ingests run and the compile seconds of the last."""
    compiled = 0.0
    size = min(count, 100_000)
    for attempt in range(1, most + 1):
        before = jit_seconds(service.pid())
        warm_up_ingest(engine, service, prefix, size)
        compiled = jit_seconds(service.pid()) - before
        if attempt >= least and compiled < settled * size / 100_000:
            break
    # What the upkeep still does about the last warm-up's conversations (a rewrite once
    # writes pause for 3 s, finding their indices gone) is over before the measured round.
    time.sleep(5)
    return attempt, compiled


def upkeep_settles(engine, prefix, count, quiet=5.0, timeout=120):
    """How long after the last acknowledged line the contact-count upkeep goes on writing
    (it is off the write path, so the ingest rate does not show it), and how many documents
    it rewrote: seconds until the indices' write count stops changing, and that count
    less the conversations."""
    started = time.perf_counter()
    last, changed = None, started
    while time.perf_counter() - started < timeout:
        stats = engine.http.json("GET", f"/{prefix}-conversations-*/_stats/indexing")
        total = stats["_all"]["total"]["indexing"]["index_total"]
        now = time.perf_counter()
        if total != last:
            last, changed = total, now
        elif now - changed >= quiet:
            break
        time.sleep(0.25)
    return changed - started, last - count


def bench_ingest(engine, path, total, rounds, rules=()):
    """Service _bulk against raw _bulk of the very same index documents, same mapping.

    A first pair of rounds is not counted: Elasticsearch compiles its indexing, update and
    search paths while it runs (its JIT threads burnt 20-30 CPU seconds in the first
    service round after a start, 1-6 s in later ones), and it yields the documents for the
    raw baseline. The service is stopped before each raw round, so that its background
    upkeep of contact counts cannot slow the baseline down.
    """
    prefix = "bench"
    extra = json.loads(os.environ.get("BENCH_SERVICE_ENV", "{}"))
    # Raw requests as large as the service's to Elasticsearch (its batch size, 500 unless
    # set): Elasticsearch spends less per document on larger requests (raw, one run:
    # 7,704/s at 500 a request, 9,245 at 2,000, 10,382 at 5,000).
    batch = int(extra.get("ARCHIVE_INGEST_BATCH_SIZE", 500))
    bulk_path = os.path.join(DATA, "raw-bulk.ndjson")
    service_runs, raw_runs, settle_runs, rewrite_runs, caught_up_runs, flag_runs = [], [], [], [], [], []
    for round_number in range(rounds + 1):
        counted = round_number > 0
        label = f"round {round_number}" if counted else "warm-up round (not counted)"
        delete_indices(engine, f"{prefix}-conversations-*,{prefix}-contacts")
        wait_for_merges(engine)
        service = Service(engine, prefix, extra=extra)
        try:
            # The rules go on after the warm-ups, which delete their indices between
            # ingests: a rule flagging a conversation of an index just deleted would
            # create it again, half made, under the next warm-up's reads.
            set_rules(service, ())
            warm_ups, compiled = warm_up_service_ingest(engine, service, prefix, total)
            set_rules(service, rules)
            log(f"    service warmed by {warm_ups} ingests of {min(total, 100_000):,} "
                f"(JIT compiling {compiled:.1f}s in the last)")
            service_cpu, engine_cpu = cpu_seconds(service.pid()), cpu_seconds(engine.process.pid)
            service_jit, engine_jit = jit_seconds(service.pid()), jit_seconds(engine.process.pid)
            count, seconds = ingest_service(service, path, 5000)
            log(f"    cpu: service {cpu_seconds(service.pid()) - service_cpu:.1f}s "
                f"(JIT compiling {jit_seconds(service.pid()) - service_jit:.1f}s), "
                f"elasticsearch {cpu_seconds(engine.process.pid) - engine_cpu:.1f}s "
                f"(JIT compiling {jit_seconds(engine.process.pid) - engine_jit:.1f}s)")
            caught_up, flags = rules_catch_up(service, rules, engine, prefix) if rules else (0.0, 0)
            if rules:
                log(f"    the {len(rules)} rules flagged their {flags} conversations {caught_up:.1f}s after the last line")
            settled, rewritten = upkeep_settles(engine, prefix, count)
        finally:
            service.stop()
        if counted:
            service_runs.append(count / seconds)
            caught_up_runs.append(caught_up)
            flag_runs.append(flags)
            settle_runs.append(settled)
            rewrite_runs.append(rewritten)
        log(f"  service _bulk {label}: {count} conversations in {seconds:.1f}s "
            f"= {count / seconds:.0f}/s; repeat counts settled {settled:.1f}s after, "
            f"{rewritten} documents rewritten for them")
        engine.http.request("POST", f"/{prefix}-conversations/_refresh")
        if not counted:
            copy_templates(engine, prefix)
            dumped = dump_index_documents(engine, prefix, bulk_path)
            log(f"  dumped {dumped} index documents for the raw baseline")
        delete_indices(engine, f"raw-{prefix}-conversations-*")
        wait_for_merges(engine)
        engine_cpu, engine_jit = cpu_seconds(engine.process.pid), jit_seconds(engine.process.pid)
        count, seconds = ingest_raw(engine, bulk_path, batch)
        log(f"    cpu: elasticsearch {cpu_seconds(engine.process.pid) - engine_cpu:.1f}s "
            f"(JIT compiling {jit_seconds(engine.process.pid) - engine_jit:.1f}s)")
        if counted:
            raw_runs.append(count / seconds)
        log(f"  raw _bulk {label}: {count} documents in {seconds:.1f}s = {count / seconds:.0f}/s")
        if os.environ.get("BENCH_STATS"):
            for pattern in (f"{prefix}-conversations-*", f"raw-{prefix}-conversations-*"):
                stats = engine.http.json("GET", f"/{pattern}/_stats/indexing,refresh,merge,search,get")["_all"]["total"]
                log(f"    {pattern}: index {stats['indexing']['index_total']} docs "
                    f"{stats['indexing']['index_time_in_millis']} ms, refresh {stats['refresh']['total']} "
                    f"{stats['refresh']['total_time_in_millis']} ms, merges {stats['merges']['total']} "
                    f"{stats['merges']['total_time_in_millis']} ms, search {stats['search']['query_total']} "
                    f"{stats['search']['query_time_in_millis']} ms")
    delete_indices(engine, f"raw-{prefix}-conversations-*")
    service_rate, raw_rate = statistics.median(service_runs), statistics.median(raw_runs)
    return {"service_per_second": round(service_rate, 1), "raw_per_second": round(raw_rate, 1),
            "ratio": round(service_rate / raw_rate, 3), "goal": ">= 0.85", "rounds": rounds,
            "service_rounds_per_second": [round(r, 1) for r in service_runs],
            "raw_rounds_per_second": [round(r, 1) for r in raw_runs],
            "counts_settled_after_seconds": round(statistics.median(settle_runs), 1),
            "documents_rewritten_for_counts": int(statistics.median(rewrite_runs)),
            "batch": batch, **({"service_env": extra} if extra else {}),
            **({"rules": len(rules), "rules_caught_up_after_seconds": round(statistics.median(caught_up_runs), 1),
                "conversations_flagged": int(statistics.median(flag_runs))} if rules else {})}




# --- Review rules on ingest -------------------------------------------------------------

RULE_TAG = "Bench rule"

# Twenty rules of the kinds QA teams write: words said (by the customer or anyone),
# outcomes, channels, functions called, repeat callers, tags; each tags what it flags with
# its own value, so that the conversations it flagged can be counted through the table.
BENCH_RULES = [
    {"content": {"query": "refund", "speaker": "user"}},
    {"content": {"query": "cancel"}},
    {"content": {"query": "manager", "speaker": "user"}},
    {"content": {"query": "\"speak to\""}},
    {"content": {"query": "complaint OR complain"}},
    {"content": {"query": "password"}, "platforms": ["voice"]},
    {"platforms": ["voice"], "statuses": ["abandoned"]},
    {"statuses": ["failed"]},
    {"statuses": ["human_handoff"], "platforms": ["sms", "whatsapp"]},
    {"directions": ["outbound"], "statuses": ["no_answer"]},
    {"environments": ["test"], "flagged": True},
    {"repeatContacts": {"min": 5}},
    {"liveAgentHandled": True, "platforms": ["email"]},
    {"functions": ["issue_refund"]},
    {"functions": ["transfer_to_human"], "platforms": ["voice"]},
    {"functions": ["customer_complaint"]},
    {"tags": {"pairs": [{"key": "Customer Tier", "value": "platinum"}]}, "statuses": ["abandoned"]},
    {"content": {"query": "invoice", "speaker": "agent"}},
    {"content": {"query": "delivery late"}},
    {"flagged": True, "platforms": ["voice"]},
]


def set_rules(service, filters):
    """Deletes the rules the service's database kept from an earlier run, then saves one
    enabled rule per filter, each tagging what it flags with its own value."""
    for rule in service.http.json("GET", "/api/v1/rules")["items"]:
        service.http.json("DELETE", f"/api/v1/rules/{rule['id']}", expect=(204,))
    for number, filter in enumerate(filters, 1):
        service.http.json("POST", "/api/v1/rules", {
            "name": f"Bench rule {number}", "filter": filter, "enabled": True,
            "actions": {"flag": {"severity": "medium"}, "tag": {"key": RULE_TAG, "value": f"r{number}"}}})


def rules_catch_up(service, filters, engine, prefix, timeout=900):
    """Seconds from now until every rule has flagged every conversation its filter finds
    (all were written while the rules were on), and how many flags they set. What a filter
    finds moves while the rules work (a rule on flagged conversations finds those the
    others flag; contact counts and daily ranks settle), so each round counts again, once
    the writes so far are searchable, what each filter finds and what of it the rule has
    not tagged."""
    started = time.perf_counter()
    while True:
        engine.http.request("POST", f"/{prefix}-conversations-*/_refresh")
        behind, flags = [], 0
        for number, filter in enumerate(filters, 1):
            tagged = dict(filter)
            tags = dict(filter.get("tags", {}))
            tags["pairs"] = list(tags.get("pairs", [])) + [{"key": RULE_TAG, "value": f"r{number}"}]
            tagged["tags"] = tags
            # The table's count of the filter (what the rule flags), and of it tagged.
            found = service.http.json("POST", "/api/v1/conversations/_search?size=1", filter)["total"]
            flagged = service.http.json("POST", "/api/v1/conversations/_search?size=1", tagged)["total"]
            if flagged != found:
                behind.append(f"r{number} {flagged}/{found}")
            flags += flagged
        if not behind:
            return time.perf_counter() - started, flags
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"rules still behind after {timeout}s: {', '.join(behind)}")
        time.sleep(0.5)


# --- Loaded data for the read stages ----------------------------------------------------

LOAD = "load"


def wait_for_rewrites(engine, prefix, timeout=1800):
    """Waits, with a service running, until no contact of the index is marked stale: the
    contact-count upkeep rewrites the stored counts of their conversations once writes
    pause (or, for marks a stopped service left, after its recovery age), and until then
    the Repeat contacts filter lists them in its query (or answers 503 above the limit)."""
    started = time.perf_counter()
    while True:
        engine.http.request("POST", f"/{prefix}-contacts/_refresh")
        status, data = engine.http.request("GET", f"/{prefix}-contacts/_count?q=stale:true")
        if status == 404:
            break  # no contacts index: nothing was ever counted, nothing is stale
        if status != 200:
            raise RuntimeError(f"counting stale contacts answered {status}: {data[:300]!r}")
        stale = json.loads(data)["count"]
        if stale == 0:
            break
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{stale} contacts still stale after {timeout}s")
        time.sleep(2)
    waited = time.perf_counter() - started
    if waited > 1:
        log(f"Waited {waited:.0f}s until the upkeep had rewritten every stale contact's conversations")


def load(engine, path, count):
    """Loads the conversations once through the service (prefix load) and reuses them."""
    marker = os.path.join(engine.home, f"loaded-{count}")
    status, data = engine.http.request("GET", f"/{LOAD}-conversations/_count")
    loaded = json.loads(data).get("count", 0) if status == 200 else 0
    if os.path.exists(marker) and loaded == count:
        log(f"Reusing the {count} loaded conversations")
        return
    delete_indices(engine, f"{LOAD}-*")
    service = Service(engine, LOAD)
    try:
        started = time.perf_counter()
        ingest_service(service, path, 5000)
        log(f"Loaded {count} conversations in {time.perf_counter() - started:.0f}s")
        wait_for_rewrites(engine, LOAD)
    finally:
        service.stop()
    engine.http.request("POST", f"/{LOAD}-conversations/_refresh")
    engine.http.request("POST", f"/{LOAD}-conversations/_forcemerge?max_num_segments=5")
    open(marker, "w").close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# --- Search ----------------------------------------------------------------------------

SEARCHES = [
    "q=refund",
    "q=%22cancel%20my%20subscription%22&speaker=user",
    "q=password%20reset&platform=web",
    "q=refund*&status=completed&from=2025-01-01T00:00:00Z",
    "q=%22tracking%20number%22~3&flagged=false",
    "q=charge%20-refund&env=production",
    "q=delivery%20OR%20package&direction=inbound",
    "q=invoice&tag=Call%20Reason:billing",
    "q=appointment&speaker=agent&sort=relevance",
    "q=payment&platform=voice&platform=sms&status=completed&status=failed",
    "status=failed&platform=voice",
    "q=subscription&repeatMin=2",
]


def time_service_search(service, query):
    started = time.perf_counter()
    status, data = service.http.request("GET", "/api/v1/conversations?" + query)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"search {query} answered {status}: {data[:300]!r}")
    return elapsed


def time_direct_search(engine, path, body):
    started = time.perf_counter()
    status, data = engine.http.request("POST", path, body, {"Content-Type": "application/json"})
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"direct search answered {status}: {data[:300]!r}")
    return elapsed


# Warm-up goes on, in blocks of this many rounds, until the service's JIT compiler
# compiles fewer than WARM_COMPILES methods in a block (or MAX_WARMUP rounds have run).
WARM_BLOCK = 10
WARM_COMPILES = 40
MAX_WARMUP = 400


def jit_compiles(service):
    """How many methods the service's JIT compiler has compiled so far (HotSpot's perf
    counter), or None where jcmd cannot tell."""
    jcmd = os.path.join(java_home(), "bin", "jcmd")
    result = subprocess.run([jcmd, str(service.pid()), "PerfCounter.print"], capture_output=True, text=True)
    match = re.search(r"sun\.ci\.totalCompiles=(\d+)", result.stdout)
    return int(match.group(1)) if match else None


def warm_up(service, run_round, warmup, most):
    """Runs unmeasured rounds: at least warmup, then on in blocks until the service's JIT
    compiler compiles fewer than WARM_COMPILES methods in one (at most most rounds).
    Returns (rounds run, the compiles count then, the last block's compiles)."""
    warmed = 0
    while warmed < warmup:
        run_round(warmed, False)
        warmed += 1
    compiles = jit_compiles(service)
    block_compiles = None
    while compiles is not None and warmed < most:
        for _ in range(WARM_BLOCK):
            run_round(warmed, False)
            warmed += 1
        now = jit_compiles(service)
        if now is None:
            # jcmd stopped answering: no way to tell, measure as warmed so far.
            compiles = None
            break
        block_compiles, compiles = now - compiles, now
        if block_compiles < WARM_COMPILES:
            break
    return warmed, compiles, block_compiles


def bench_search(engine, rounds, warmup):
    """The same searches through the service and straight to Elasticsearch, interleaved.

    Both sides first run the mix at least warmup times unmeasured, and then on until the
    service's JIT compiler has (nearly) stopped compiling: on these 2 cores it compiles
    for thousands of requests, and a service that is still being compiled is slower
    than one that has run a while (median overhead over the direct request: 10.0 ms in
    searches 1-300, 4.5 ms in 1,501-1,800; see README.md). The engine's caches are warm
    by then too.
    """
    service = Service(engine, LOAD)
    try:
        # Marks a stopped service left (a load cut short) are rewritten first: the
        # measured searches are those of a settled archive.
        wait_for_rewrites(engine, LOAD)
        direct_requests = []
        for query in SEARCHES:
            explained = service.http.json("GET", "/api/v1/conversations/_explain?" + query)
            # The very request the service sends: its query-string parameters too
            # (routing, filter_path, ...).
            parameters = explained.get("parameters") or {"routing": explained["routing"]}
            direct_requests.append((f"/{explained['index']}/_search?" + urllib.parse.urlencode(parameters),
                                    json.dumps(explained["body"]).encode()))

        def run_round(round_number, measured):
            for query, (path, body) in zip(SEARCHES, direct_requests):
                # Which side goes first rotates, so that none always finds the caches
                # another just filled. Measured rounds send the direct request twice:
                # how far two runs of the very same request differ is the noise floor
                # of the per-pair overhead.
                sides = ["service", "direct", "again"] if measured else ["service", "direct"]
                turn = round_number % len(sides)
                times = {}
                for side in sides[turn:] + sides[:turn]:
                    times[side] = (time_service_search(service, query) if side == "service"
                                   else time_direct_search(engine, path, body))
                if measured:
                    service_times.append(times["service"])
                    direct_times.append(times["direct"])
                    overheads.append(times["service"] - times["direct"])
                    noise.append(times["again"] - times["direct"])

        service_times, direct_times, overheads, noise = [], [], [], []
        warmed, compiles, block_compiles = warm_up(service, run_round, warmup, MAX_WARMUP)
        log(f"  warm-up: {warmed} rounds of the mix ({warmed * len(SEARCHES)} searches a side); "
            f"the service's JIT compiled {block_compiles} methods in the last {WARM_BLOCK} rounds")
        for round_number in range(warmed, warmed + rounds):
            run_round(round_number, True)
        after = jit_compiles(service) if compiles is not None else None
        compiles_measured = (after - compiles) if after is not None else None
        result = {"searches": len(service_times), "mix": len(SEARCHES),
                  "service_p50_ms": round(percentile(service_times, 0.5), 1),
                  "service_p95_ms": round(percentile(service_times, 0.95), 1),
                  "direct_p50_ms": round(percentile(direct_times, 0.5), 1),
                  "direct_p95_ms": round(percentile(direct_times, 0.95), 1),
                  "overhead_p50_ms": round(percentile(overheads, 0.5), 1),
                  "overhead_p95_ms": round(percentile(overheads, 0.95), 1),
                  "direct_again_minus_direct_p50_ms": round(percentile(noise, 0.5), 1),
                  "direct_again_minus_direct_p95_ms": round(percentile(noise, 0.95), 1)}
        result["overhead_p95_ratio"] = round(result["service_p95_ms"] / result["direct_p95_ms"], 3)
        result["warmup_rounds"] = warmed
        result["jit_compiles_last_warmup_block"] = block_compiles
        result["jit_compiles_while_measured"] = compiles_measured
        result["goal"] = "overhead p95 < 10% or < 5 ms; p95 < 150 ms at 1M"
        log(f"  search: service p50 {result['service_p50_ms']} ms p95 {result['service_p95_ms']} ms; "
            f"direct p50 {result['direct_p50_ms']} ms p95 {result['direct_p95_ms']} ms; per pair: service minus "
            f"direct p50 {result['overhead_p50_ms']} p95 {result['overhead_p95_ms']} ms, the same request twice "
            f"p50 {result['direct_again_minus_direct_p50_ms']} p95 {result['direct_again_minus_direct_p95_ms']} ms")
        return result
    finally:
        service.stop()


# --- Analytics -------------------------------------------------------------------------

# The analytics stage's warm-up stops here at the latest: a dashboard answer is two
# _msearch requests of many aggregations over every matching conversation, and 400
# rounds of the mix, as the search stage allows, could take hours at 1M on 2 cores.
MAX_ANALYTICS_WARMUP = 100


def analytics_mix(service):
    """The dashboard requests of the analytics stage: their ranges are taken from the loaded
    archive's (its last start), so that each finds conversations whatever the generator's
    dates."""
    whole = service.http.json("GET", "/api/v1/analytics")
    if not whole.get("total"):
        raise RuntimeError("the analytics of the whole archive count no conversation")
    last = datetime.datetime.fromisoformat(whole["range"]["to"].replace("Z", "+00:00"))

    def instant(moment):
        return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def between(start, end):
        return f"from={instant(start)}&to={instant(end)}"

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    # The calendar quarter (in Paris) before the one of the last start.
    local = last.astimezone(paris)
    quarter = (local.month - 1) // 3 * 3 + 1
    quarter_end = datetime.datetime(local.year, quarter, 1, tzinfo=paris)
    quarter_start = datetime.datetime(local.year if quarter > 1 else local.year - 1, (quarter - 4) % 12 + 1, 1,
                                      tzinfo=paris)
    month = datetime.timedelta(days=30)
    return [
        "",
        between(last - month, last) + "&split=status",
        between(quarter_start, quarter_end) + "&split=flow&tz=Europe/Paris",
        "platform=voice&split=" + urllib.parse.quote("tag:Call Reason"),
        "q=refund",
        "view=production",
        between(last - datetime.timedelta(days=2), last) + "&interval=hour",
        # The previous period of the 30 days above, as a range of its own (with its own
        # previous period).
        between(last - 2 * month, last - month) + "&tz=Europe/Paris&interval=week",
    ]


def time_service_analytics(service, query):
    started = time.perf_counter()
    status, data = service.http.request("GET", "/api/v1/analytics?" + query)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"analytics {query} answered {status}: {data[:300]!r}")
    return elapsed


def time_direct_analytics(engine, round_trips):
    """The explained _msearch requests one after the other, as the service sends them."""
    started = time.perf_counter()
    for path, body in round_trips:
        status, data = engine.http.request("POST", path, body, {"Content-Type": "application/x-ndjson"})
        if status != 200:
            raise RuntimeError(f"direct msearch answered {status}: {data[:300]!r}")
    return (time.perf_counter() - started) * 1000


def bench_analytics(engine, rounds, warmup):
    """Dashboard answers through the service and their Elasticsearch requests sent
    directly, interleaved, as the search stage does: the direct side sends both round
    trips of GET /api/v1/analytics/_explain in sequence (the second depends on the
    first's answer; the explain tells them for the loaded data, which does not change)."""
    service = Service(engine, LOAD)
    try:
        wait_for_rewrites(engine, LOAD)
        mix = analytics_mix(service)
        direct_requests = []
        for query in mix:
            explained = service.http.json("GET", "/api/v1/analytics/_explain?" + query)
            round_trips = []
            for trip in explained["roundTrips"]:
                path = "/_msearch?" + urllib.parse.urlencode(trip["parameters"])
                body = "".join(json.dumps(line) + "\n" for line in trip["lines"]).encode()
                round_trips.append((path, body))
            direct_requests.append(round_trips)
            # The direct requests count what the service's answer counts.
            answer = service.http.json("GET", "/api/v1/analytics?" + query)
            path, body = round_trips[-1]
            status, data = engine.http.request("POST", path, body, {"Content-Type": "application/x-ndjson"})
            found = json.loads(data)["responses"][0] if status == 200 else {"error": status}
            if "error" in found or found["hits"]["total"]["value"] != answer["total"]:
                raise RuntimeError(f"analytics {query!r}: the explained requests do not count the answer's "
                                   f"{answer['total']}: {data[:300]!r}")
            log(f"  {query or '(whole archive)'}: {answer['total']} conversations, "
                f"{len(round_trips)} round trips")

        def run_round(round_number, measured):
            for query, round_trips in zip(mix, direct_requests):
                # As in the search stage: the side that goes first rotates, and measured
                # rounds send the direct requests twice (the noise floor of a pair).
                sides = ["service", "direct", "again"] if measured else ["service", "direct"]
                turn = round_number % len(sides)
                times = {}
                for side in sides[turn:] + sides[:turn]:
                    times[side] = (time_service_analytics(service, query) if side == "service"
                                   else time_direct_analytics(engine, round_trips))
                if measured:
                    service_times.append(times["service"])
                    direct_times.append(times["direct"])
                    overheads.append(times["service"] - times["direct"])
                    noise.append(times["again"] - times["direct"])

        service_times, direct_times, overheads, noise = [], [], [], []
        warmed, compiles, block_compiles = warm_up(service, run_round, warmup, MAX_ANALYTICS_WARMUP)
        log(f"  warm-up: {warmed} rounds of the mix ({warmed * len(mix)} answers a side); "
            f"the service's JIT compiled {block_compiles} methods in the last {WARM_BLOCK} rounds")
        for round_number in range(warmed, warmed + rounds):
            run_round(round_number, True)
        after = jit_compiles(service) if compiles is not None else None
        result = {"answers": len(service_times), "mix": len(mix), "requests": mix,
                  "service_p50_ms": round(percentile(service_times, 0.5), 1),
                  "service_p95_ms": round(percentile(service_times, 0.95), 1),
                  "direct_p50_ms": round(percentile(direct_times, 0.5), 1),
                  "direct_p95_ms": round(percentile(direct_times, 0.95), 1),
                  "overhead_p50_ms": round(percentile(overheads, 0.5), 1),
                  "overhead_p95_ms": round(percentile(overheads, 0.95), 1),
                  "direct_again_minus_direct_p50_ms": round(percentile(noise, 0.5), 1),
                  "direct_again_minus_direct_p95_ms": round(percentile(noise, 0.95), 1)}
        result["overhead_p95_ratio"] = round(result["service_p95_ms"] / result["direct_p95_ms"], 3)
        result["warmup_rounds"] = warmed
        result["jit_compiles_last_warmup_block"] = block_compiles
        result["jit_compiles_while_measured"] = (after - compiles) if after is not None else None
        result["goal"] = "p95 < 300 ms at 1M; overhead p95 < 10% or < 5 ms"
        log(f"  analytics: service p50 {result['service_p50_ms']} ms p95 {result['service_p95_ms']} ms; "
            f"direct p50 {result['direct_p50_ms']} ms p95 {result['direct_p95_ms']} ms; per pair: service minus "
            f"direct p50 {result['overhead_p50_ms']} p95 {result['overhead_p95_ms']} ms, the same requests twice "
            f"p50 {result['direct_again_minus_direct_p50_ms']} p95 {result['direct_again_minus_direct_p95_ms']} ms")
        return result
    finally:
        service.stop()


# --- Funnel ----------------------------------------------------------------------------

# Flows of the mix: the busiest of the loaded data (the generator's ids, such as
# flow-billing), whatever nodes their conversations name.
FUNNEL_FLOWS = 3


def funnel_mix(service):
    """The funnel requests of the funnel stage: each of the busiest flows under no filter,
    abandoned, voice, the last 30 days of the loaded archive, and abandoned voice calls of
    its last 7 days (the question the endpoint answers)."""
    page = service.http.json("GET", "/api/v1/conversations?size=1")
    flows = [value["value"] for value in page.get("facets", {}).get("flow", [])][:FUNNEL_FLOWS]
    if not flows:
        raise RuntimeError("the loaded conversations name no flow")
    whole = service.http.json("GET", "/api/v1/analytics")
    last = datetime.datetime.fromisoformat(whole["range"]["to"].replace("Z", "+00:00"))

    def since(days):
        start = (last - datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"from={start}&to={last.strftime('%Y-%m-%dT%H:%M:%SZ')}"

    filters = ["", "status=abandoned", "platform=voice", since(30), "status=abandoned&platform=voice&" + since(7)]
    return [(urllib.parse.quote(flow, safe=""), query) for flow in flows for query in filters]


def time_service_funnel(service, flow, query):
    started = time.perf_counter()
    status, data = service.http.request("GET", f"/api/v1/analytics/flows/{flow}?{query}")
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"funnel {flow}?{query} answered {status}: {data[:300]!r}")
    return elapsed


def bench_funnel(engine, rounds, warmup):
    """Flow funnels through the service and their one _msearch sent directly, interleaved,
    as the analytics stage does (the request from GET /api/v1/analytics/flows/{id}/_explain)."""
    service = Service(engine, LOAD)
    try:
        wait_for_rewrites(engine, LOAD)
        mix = funnel_mix(service)
        direct_requests = []
        for flow, query in mix:
            explained = service.http.json("GET", f"/api/v1/analytics/flows/{flow}/_explain?{query}")
            round_trips = []
            for trip in explained["roundTrips"]:
                path = "/_msearch?" + urllib.parse.urlencode(trip["parameters"])
                body = "".join(json.dumps(line) + "\n" for line in trip["lines"]).encode()
                round_trips.append((path, body))
            direct_requests.append(round_trips)
            # The direct request counts what the service's answer counts.
            answer = service.http.json("GET", f"/api/v1/analytics/flows/{flow}?{query}")
            path, body = round_trips[-1]
            status, data = engine.http.request("POST", path, body, {"Content-Type": "application/x-ndjson"})
            found = json.loads(data)["responses"][0] if status == 200 else {"error": status}
            if "error" in found or found["hits"]["total"]["value"] != answer["total"]:
                raise RuntimeError(f"funnel {flow}?{query}: the explained request does not count the answer's "
                                   f"{answer['total']}: {data[:300]!r}")
            log(f"  {flow}?{query}: {answer['total']} conversations, {len(answer['nodes'])} nodes, "
                f"{len(answer['edges'])} edges, {answer['unmarked']} naming no node")

        def run_round(round_number, measured):
            for (flow, query), round_trips in zip(mix, direct_requests):
                # As in the search stage: the side that goes first rotates, and measured
                # rounds send the direct request twice (the noise floor of a pair).
                sides = ["service", "direct", "again"] if measured else ["service", "direct"]
                turn = round_number % len(sides)
                times = {}
                for side in sides[turn:] + sides[:turn]:
                    times[side] = (time_service_funnel(service, flow, query) if side == "service"
                                   else time_direct_analytics(engine, round_trips))
                if measured:
                    service_times.append(times["service"])
                    direct_times.append(times["direct"])
                    overheads.append(times["service"] - times["direct"])
                    noise.append(times["again"] - times["direct"])

        service_times, direct_times, overheads, noise = [], [], [], []
        warmed, compiles, block_compiles = warm_up(service, run_round, warmup, MAX_ANALYTICS_WARMUP)
        log(f"  warm-up: {warmed} rounds of the mix ({warmed * len(mix)} funnels a side); "
            f"the service's JIT compiled {block_compiles} methods in the last {WARM_BLOCK} rounds")
        for round_number in range(warmed, warmed + rounds):
            run_round(round_number, True)
        after = jit_compiles(service) if compiles is not None else None
        result = {"answers": len(service_times), "mix": len(mix),
                  "requests": [f"{flow}?{query}" for flow, query in mix],
                  "service_p50_ms": round(percentile(service_times, 0.5), 1),
                  "service_p95_ms": round(percentile(service_times, 0.95), 1),
                  "direct_p50_ms": round(percentile(direct_times, 0.5), 1),
                  "direct_p95_ms": round(percentile(direct_times, 0.95), 1),
                  "overhead_p50_ms": round(percentile(overheads, 0.5), 1),
                  "overhead_p95_ms": round(percentile(overheads, 0.95), 1),
                  "direct_again_minus_direct_p50_ms": round(percentile(noise, 0.5), 1),
                  "direct_again_minus_direct_p95_ms": round(percentile(noise, 0.95), 1)}
        result["overhead_p95_ratio"] = round(result["service_p95_ms"] / result["direct_p95_ms"], 3)
        result["warmup_rounds"] = warmed
        result["jit_compiles_last_warmup_block"] = block_compiles
        result["jit_compiles_while_measured"] = (after - compiles) if after is not None else None
        result["goal"] = "p95 < 300 ms at 1M; overhead p95 < 10% or < 5 ms"
        log(f"  funnel: service p50 {result['service_p50_ms']} ms p95 {result['service_p95_ms']} ms; "
            f"direct p50 {result['direct_p50_ms']} ms p95 {result['direct_p95_ms']} ms; per pair: service minus "
            f"direct p50 {result['overhead_p50_ms']} p95 {result['overhead_p95_ms']} ms, the same request twice "
            f"p50 {result['direct_again_minus_direct_p50_ms']} p95 {result['direct_again_minus_direct_p95_ms']} ms")
        return result
    finally:
        service.stop()


# --- Export ----------------------------------------------------------------------------

ROW_FIELDS = ["id", "platform", "contact", "status", "flow", "durationSeconds", "lastMessageAt", "startedAt",
              "flagged", "functions", "parameters", "tags"]


def export_service(service, body, kind="exports", path="/api/v1/exports"):
    started = time.perf_counter()
    job = service.http.json("POST", path, body, expect=(202,))
    while job["status"] not in ("completed", "failed"):
        time.sleep(0.1)
        job = service.http.json("GET", f"/api/v1/exports/{job['id']}")
    seconds = time.perf_counter() - started
    if job["status"] != "completed":
        raise RuntimeError(f"export failed: {job.get('error')}")
    return job, seconds


def pit_dump(engine, index, query, fields, out_path, page=1000, docvalues=None):
    """A bare point-in-time dump over HTTP: every page's hits written as they come, read
    from the source (fields) or, given docvalues, from those doc values alone."""
    started = time.perf_counter()
    pit = engine.http.json("POST", f"/{index}/_pit?keep_alive=5m&routing=default")["id"]
    after = None
    rows = 0
    with open(out_path, "wb") as out:
        while True:
            body = {"size": page, "pit": {"id": pit, "keep_alive": "5m"}, "query": query,
                    "_source": {"includes": fields}, "track_total_hits": False,
                    "sort": [{"startedAt": "desc"}, {"_shard_doc": "asc"}]}
            if docvalues:
                body.update({"_source": False, "stored_fields": "_none_", "docvalue_fields": docvalues})
            if after is not None:
                body["search_after"] = after
            response = engine.http.json("POST", "/_search", body)
            hits = response["hits"]["hits"]
            for hit in hits:
                out.write(json.dumps(hit["fields"] if docvalues else hit["_source"]).encode() + b"\n")
            rows += len(hits)
            pit = response.get("pit_id", pit)
            if len(hits) < page:
                break
            after = hits[-1]["sort"]
    engine.http.request("DELETE", "/_pit", json.dumps({"id": pit}).encode(), {"Content-Type": "application/json"})
    return rows, time.perf_counter() - started


def elasticdump(engine, index, out_path):
    """elasticdump (npm) writing CSV of the same index, if npm can install it here."""
    tools = os.path.join(DATA, "node")
    binary = os.path.join(tools, "node_modules", ".bin", "elasticdump")
    if not os.path.exists(binary):
        os.makedirs(tools, exist_ok=True)
        result = subprocess.run(["npm", "install", "--silent", "--prefix", tools, "elasticdump"],
                                capture_output=True, text=True)
        if result.returncode != 0 or not os.path.exists(binary):
            log(f"  elasticdump could not be installed: {result.stderr[-300:]}")
            return None
    # The minimal distribution answers GET / with 405, where elasticdump asks for the
    # version: answer that one request in elasticdump's own process, pass every other on.
    shim = os.path.join(tools, "version-shim.js")
    with open(shim, "w") as f:
        f.write("""
const Module = require('module');
const load = Module._load;
Module._load = function (request) {
  const loaded = load.apply(this, arguments);
  if (request === 'requestretry' && !loaded.__versionShim) {
    const defaults = loaded.defaults;
    loaded.defaults = function () {
      const base = defaults.apply(this, arguments);
      const wrapped = function (options, callback) {
        const url = String(typeof options === 'string' ? options : (options.url || options.uri));
        if ((options.method || 'GET') === 'GET' && /^https?:[/][/][^/]+[/]?$/.test(url)) {
          const body = JSON.stringify({ version: { number: '9.5.3' }, tagline: 'You Know, for Search' });
          return setImmediate(() => callback(null, { statusCode: 200, body: body, headers: {} }, body));
        }
        return base.apply(this, arguments);
      };
      Object.assign(wrapped, base);
      return wrapped;
    };
    loaded.__versionShim = true;
  }
  return loaded;
};
""")
    # Enough heap that it finishes: at 1M conversations its CSV output ran out of the default 4 GB.
    env = dict(os.environ, NODE_OPTIONS=f"--require {shim} --max-old-space-size=12288")
    if os.path.exists(out_path):
        os.remove(out_path)  # a fresh file each run: elasticdump does not overwrite one
    started = time.perf_counter()
    result = subprocess.run([binary, f"--input=http://127.0.0.1:{engine.port}/{index}",
                             f"--output=csv://{out_path}", "--type=data", "--limit=1000", "--quiet"],
                            env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        output = result.stderr or result.stdout
        log(f"  elasticdump failed ({result.returncode}): {output[:300]} ... {output[-300:]}")
        return None
    with open(out_path, "rb") as f:
        rows = sum(1 for _ in f) - 1
    return rows, seconds


def export_peak_heap(service, body):
    """Peak live heap while an export runs: a full GC is asked for every ~0.2 s, and the
    heap left after each (from the service's GC log) is what the export holds on to."""
    jcmd = os.path.join(java_home(), "bin", "jcmd")
    subprocess.run([jcmd, str(service.pid()), "GC.run"], capture_output=True)
    with open(service.gc_log) as f:
        f.seek(0, os.SEEK_END)
        start = f.tell()
    job = service.http.json("POST", "/api/v1/exports", body, expect=(202,))
    while job["status"] not in ("completed", "failed"):
        subprocess.run([jcmd, str(service.pid()), "GC.run"], capture_output=True, timeout=30)
        time.sleep(0.2)
        job = service.http.json("GET", f"/api/v1/exports/{job['id']}")
    with open(service.gc_log) as f:
        f.seek(start)
        after = [int(m.group(1)) for m in re.finditer(r"Pause Full \([^)]*\) \d+M->(\d+)M", f.read())]
    return job, max(after, default=0), len(after)


def bench_export(engine, count, rounds):
    index = f"{LOAD}-conversations"
    service = Service(engine, LOAD, heap="256m")
    try:
        results = {}
        # Warm up both paths once on a small slice.
        export_service(service, {"filter": {"platforms": ["email"]}})
        # Alternating rounds, medians: the machine's noise falls on both sides alike.
        service_rates, dump_rates, row_dump_rates = [], [], []
        for round_number in range(rounds):
            job, seconds = export_service(service, {})
            rows = job["rowCount"]
            dump_rows, dump_seconds = pit_dump(engine, index, {"match_all": {}}, ROW_FIELDS,
                                               os.path.join(DATA, "pit-dump.ndjson"))
            # The same dump of what the service reads: the export rows' doc values.
            row_dump_rows, row_dump_seconds = pit_dump(engine, index, {"match_all": {}}, ROW_FIELDS,
                                                       os.path.join(DATA, "pit-dump-rows.ndjson"),
                                                       docvalues=["exportRow", "id"])
            service_rates.append(rows / seconds)
            dump_rates.append(dump_rows / dump_seconds)
            row_dump_rates.append(row_dump_rows / row_dump_seconds)
            log(f"  export round {round_number + 1}: service {rows} rows in {seconds:.1f}s; "
                f"PIT dump {dump_rows} rows in {dump_seconds:.1f}s (of the sources), "
                f"{row_dump_rows} in {row_dump_seconds:.1f}s (of the export rows)")
        service_rate, dump_rate = statistics.median(service_rates), statistics.median(dump_rates)
        row_dump_rate = statistics.median(row_dump_rates)
        results["csv"] = {"rows": rows, "rounds": rounds, "service_rows_per_second": round(service_rate),
                          "pit_dump_rows_per_second": round(dump_rate),
                          "ratio_to_pit_dump": round(service_rate / dump_rate, 3),
                          "pit_dump_of_export_rows_rows_per_second": round(row_dump_rate),
                          "ratio_to_pit_dump_of_export_rows": round(service_rate / row_dump_rate, 3),
                          "goal_pit_dump": ">= 0.8", "service_heap_max": "256m"}
        dumped = elasticdump(engine, index, os.path.join(DATA, "elasticdump.csv"))
        if dumped:
            dump_rows_e, dump_seconds_e = dumped
            results["csv"]["elasticdump_rows_per_second"] = round(dump_rows_e / dump_seconds_e)
            results["csv"]["ratio_to_elasticdump"] = round(service_rate / (dump_rows_e / dump_seconds_e), 3)
            results["csv"]["goal_elasticdump"] = ">= 3"
            log(f"  elasticdump: {dump_rows_e} rows in {dump_seconds_e:.1f}s")
        # Heap: a tenth of the rows against all of them, same service.
        small_job, small_peak, small_samples = export_peak_heap(service, {"filter": {"to": tenth_date(engine, index)}})
        big_job, big_peak, big_samples = export_peak_heap(service, {})
        log(f"  heap: {small_peak:.1f} MB live at most exporting {small_job['rowCount']} rows ({small_samples} samples), "
            f"{big_peak:.1f} MB exporting {big_job['rowCount']} ({big_samples} samples)")
        results["heap"] = {"rows_small": small_job["rowCount"], "peak_mb_small": round(small_peak, 1),
                           "rows_all": big_job["rowCount"], "peak_mb_all": round(big_peak, 1),
                           "measure": "peak heap left after the full GCs asked for every ~0.2 s (GC log)",
                           "ratio": round(big_peak / small_peak, 3) if small_peak else None,
                           "goal": "flat (ratio ~1) with a 256 MB heap"}
        results["history"] = bench_history(engine, service, index)
        return results
    finally:
        service.stop()


def tenth_date(engine, index):
    """The startedAt below which about a tenth of the conversations lie."""
    response = engine.http.json("POST", f"/{index}/_search", {
        "size": 0, "aggs": {"tenth": {"percentiles": {"field": "startedAt", "percents": [10]}}}})
    return response["aggregations"]["tenth"]["values"]["10.0_as_string"]


def bench_history(engine, service, index):
    """History zip against fetching the same messages alone and compressing the same CSV alone."""
    busiest = engine.http.json("POST", f"/{index}/_search", {
        "size": 0, "aggs": {"agents": {"terms": {"field": "agent.id", "size": 1},
                                       "aggs": {"years": {"date_histogram": {"field": "startedAt",
                                                                              "calendar_interval": "year"}}}}}})
    agent = busiest["aggregations"]["agents"]["buckets"][0]
    year_bucket = max(agent["years"]["buckets"], key=lambda bucket: bucket["doc_count"])
    year = int(year_bucket["key_as_string"][:4])
    agent_id = agent["key"]
    job, seconds = export_service(service, {"year": year}, path=f"/api/v1/agents/{agent_id}/history-exports")
    query = {"bool": {"filter": [{"term": {"agent.id": agent_id}}, {"range": {"startedAt": {
        "gte": f"{year}-01-01T00:00:00Z", "lt": f"{year + 1}-01-01T00:00:00Z"}}}]}}
    fetched_rows, fetch_seconds = pit_dump(engine, f"{index}-{year}", query,
                                           ["id", "platform", "contact", "agent", "startedAt", "messages"],
                                           os.path.join(DATA, "history-fetch.ndjson"), page=500)
    # Compress alone: the very CSV the service wrote, zipped the same way.
    status, data = service.http.request("GET", job["downloadUrl"].split(str(service.port), 1)[1])
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = archive.namelist()[0]
        csv = archive.read(name)
    started = time.perf_counter()
    with zipfile.ZipFile(os.path.join(DATA, "history-compress.zip"), "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, csv)
    compress_seconds = time.perf_counter() - started
    larger = max(fetch_seconds, compress_seconds)
    log(f"  history: zip in {seconds:.2f}s ({job['rowCount']} messages of {fetched_rows} conversations); "
        f"fetch alone {fetch_seconds:.2f}s, compress alone {compress_seconds:.2f}s")
    return {"agent": agent_id, "year": year, "messages": job["rowCount"], "conversations": fetched_rows,
            "service_seconds": round(seconds, 3), "fetch_seconds": round(fetch_seconds, 3),
            "compress_seconds": round(compress_seconds, 3), "ratio_to_larger": round(seconds / larger, 3),
            "goal": "<= 1.2"}


# --- Repeat-contact upkeep ---------------------------------------------------------------

def bench_contacts(engine, count):
    """Ingest of a contact that has 100,000 conversations against the same ingest spread over
    fresh contacts, and how soon the busy contact's count is current."""
    prefix = "contacts"
    hot = os.path.join(DATA, "hot-contact-100000.ndjson")
    if not os.path.exists(hot):
        subprocess.run([java(), "-jar", jar(), "generate", "--count", "100000", "--seed", "11", "--contact",
                        "hot-contact", "--out", hot], check=True)
    more_hot = os.path.join(DATA, "hot-contact-more.ndjson")
    fresh = os.path.join(DATA, "fresh-contacts.ndjson")
    extra = max(2000, min(20000, count // 20))
    subprocess.run([java(), "-jar", jar(), "generate", "--count", str(extra), "--seed", "12", "--contact",
                    "hot-contact", "--out", more_hot], check=True)
    subprocess.run([java(), "-jar", jar(), "generate", "--count", str(extra), "--seed", "12",
                    "--contacts", str(extra), "--out", fresh], check=True)
    # The generator's ids depend on the seed and index only: make the two sets distinct.
    rewrite_ids(more_hot, "hot-more-")
    rewrite_ids(fresh, "fresh-")
    delete_indices(engine, f"{prefix}-*")
    service = Service(engine, prefix)
    try:
        ingest_service(service, hot, 5000)
        time.sleep(5)
        hot_count, hot_seconds = ingest_service(service, more_hot, 5000)
        settle_started = time.perf_counter()
        while True:
            conversation = service.http.json("GET", "/api/v1/conversations/" + first_id(more_hot))
            if conversation.get("contactConversationCount") == 100000 + extra:
                break
            if time.perf_counter() - settle_started > 300:
                break
            time.sleep(0.2)
        settled = time.perf_counter() - settle_started
        time.sleep(3)
        fresh_count, fresh_seconds = ingest_service(service, fresh, 5000)
    finally:
        service.stop()
    delete_indices(engine, f"{prefix}-*")
    result = {"busy_contact_conversations": 100000, "batch": extra,
              "busy_per_second": round(hot_count / hot_seconds), "fresh_per_second": round(fresh_count / fresh_seconds),
              "ratio": round((hot_count / hot_seconds) / (fresh_count / fresh_seconds), 3),
              "count_current_after_seconds": round(settled, 1), "goal": "ratio ~1; count current within seconds"}
    log(f"  contacts: busy contact {result['busy_per_second']}/s, fresh contacts {result['fresh_per_second']}/s; "
        f"count current {settled:.1f}s after the batch")
    return result


def rewrite_ids(path, prefix, contacts=False):
    with open(path, "rb") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    with open(path, "wb") as f:
        for conversation in lines:
            conversation["id"] = prefix + conversation["id"]
            if contacts and (conversation.get("contact") or {}).get("id"):
                conversation["contact"]["id"] = prefix + conversation["contact"]["id"]
            # Written compactly, as the generator (and most clients) write JSON.
            f.write(json.dumps(conversation, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")


def first_id(path):
    with open(path, "rb") as f:
        return json.loads(f.readline())["id"]


# --- Main ------------------------------------------------------------------------------

# --- Live: from an append to the screen ---------------------------------------------------

def sse_events(port, path, on_event, stop):
    """Reads a server-sent-event stream as a browser does, calling on_event(name, data,
    arrived) with each event's arrival time, until stop is set."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Authorization": "Bearer " + BENCH_KEY,
                                             "Accept": "text/event-stream"})
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    name, data = "message", []
    try:
        while not stop.is_set():
            line = response.readline()
            if not line:
                break
            arrived = time.perf_counter()
            line = line.decode().rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif not line and data:
                on_event(name, json.loads("".join(data)), arrived)
                name, data = "message", []
    except (OSError, http.client.HTTPException):
        pass
    finally:
        connection.close()


def bench_live(engine, live=100, seconds=60, every=5.0, warmup=20):
    """Appends to live conversations through the ingest API (each of the `live`
    conversations gains a message about every `every` seconds, each append from its own
    client, as an agent platform sends them) while a viewer follows each conversation's
    transcript stream and the live list; the time from sending an append to its message
    arriving on the viewer's stream, against the append's own answer (which waits until
    the message is searchable: the next refresh)."""
    delete_indices(engine, "live-*")
    service = Service(engine, "live")
    stop = threading.Event()
    threads = []
    try:
        started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        ids = [f"live-{n:03d}" for n in range(live)]
        body = "".join(json.dumps({
            "id": id, "platform": "voice" if n % 2 else "web", "status": "in_progress",
            "startedAt": started.isoformat().replace("+00:00", "Z"),
            "contact": {"id": f"c-{n}", "name": f"Caller {n}"}, "agent": {"id": "a", "name": "Ava"},
            "messages": [{"at": started.isoformat().replace("+00:00", "Z"), "senderType": "agent",
                          "text": "Hello, how can I help?"}]}) + "\n" for n, id in enumerate(ids))
        status, data = service.http.request("POST", "/api/v1/conversations/_bulk?refresh=true", body.encode(),
                                            {"Content-Type": "application/x-ndjson"})
        if status != 200 or json.loads(data)["errors"]:
            raise RuntimeError(f"creating the live conversations answered {status}: {data[:300]!r}")
        sent, seen, shown, lock = {}, {}, {}, threading.Lock()

        def on_transcript(name, data, arrived):
            if name == "messages":
                with lock:
                    for message in data["items"]:
                        token = message.get("text")
                        if token in sent and token not in seen:
                            seen[token] = arrived

        def on_list(name, data, arrived):
            if name == "conversation":
                with lock:
                    token = (data.get("lastMessage") or {}).get("text")
                    if token in sent and token not in shown:
                        shown[token] = arrived

        # The live page (one stream of the whole list) and ten conversations' pages (a
        # person may have 20 streams open).
        for id in ids[:10]:
            thread = threading.Thread(target=sse_events, daemon=True,
                                      args=(service.port, f"/api/v1/conversations/{id}/stream", on_transcript, stop))
            thread.start()
            threads.append(thread)
        thread = threading.Thread(target=sse_events, daemon=True,
                                  args=(service.port, "/api/v1/live/stream", on_list, stop))
        thread.start()
        threads.append(thread)
        time.sleep(2)
        acks = []
        # The first seconds are not counted: the service compiles the path as the 100
        # streams and writers start (measured: p95 8 s in the first 5 s, 0.1 s after 10).
        counted = time.perf_counter() + warmup
        deadline = counted + seconds

        def platform(n, id):
            http_ = Http(service.port, headers={"Authorization": "Bearer " + BENCH_KEY})
            rng = __import__("random").Random(n)
            time.sleep(rng.uniform(0, every))
            count = 0
            while time.perf_counter() < deadline:
                count += 1
                token = f"{id} message {count}"
                at = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
                message = [{"at": at, "senderType": "user" if count % 2 else "agent", "text": token}]
                before = time.perf_counter()
                if before >= counted:
                    with lock:
                        sent[token] = before
                http_.json("POST", f"/api/v1/conversations/{id}/messages", message)
                if before >= counted:
                    with lock:
                        acks.append(time.perf_counter() - before)
                time.sleep(max(0.0, rng.uniform(0.5 * every, 1.5 * every) - (time.perf_counter() - before)))

        writers = [threading.Thread(target=platform, args=(n, id), daemon=True) for n, id in enumerate(ids)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        time.sleep(3)
        with lock:
            latencies = [shown[token] - at for token, at in sent.items() if token in shown]
            missing = len(sent) - len(latencies)
            transcripts = [seen[token] - at for token, at in sent.items() if token in seen]
        if not latencies:
            raise RuntimeError("no append reached the viewers' streams")
        with open(os.path.join(DATA, "live-latencies.json"), "w") as f:
            json.dump(sorted((at, shown[token] - at) for token, at in sent.items() if token in shown), f)
        p95 = percentile(latencies, 0.95)
        result = {
            "live_conversations": live, "appends": len(sent), "not_seen": missing,
            "screen_ms": {"p50": round(percentile(latencies, 0.5) * 1000, 1),
                          "p90": round(percentile(latencies, 0.9) * 1000, 1), "p95": round(p95 * 1000, 1),
                          "max": round(max(latencies) * 1000, 1)},
            "transcript_ms": {"p50": round(percentile(transcripts, 0.5) * 1000, 1),
                              "p95": round(percentile(transcripts, 0.95) * 1000, 1),
                              "messages": len(transcripts)} if transcripts else None,
            "append_answer_ms": {"p50": round(percentile(acks, 0.5) * 1000, 1),
                                 "p95": round(percentile(acks, 0.95) * 1000, 1)},
            "goal": "screen p95 < 1000 ms",
        }
        log(f"  {len(sent)} appends to {live} live conversations: on screen p50 {result['screen_ms']['p50']} ms, "
            f"p95 {result['screen_ms']['p95']} ms ({missing} not seen); the appends answered in p50 "
            f"{result['append_answer_ms']['p50']} ms")
        return result
    finally:
        stop.set()
        service.stop()


def machine():
    return {"cores": os.cpu_count(), "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                                        / 2 ** 30, 1),
            "os": platform.platform(), "python": platform.python_version()}


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000, help="conversations (default 100000)")
    parser.add_argument("--only", default="ingest,rules,search,analytics,funnel,export,contacts,live",
                        help="comma-separated stages: ingest, rules, search, analytics, funnel, export, contacts, "
                             "live")
    parser.add_argument("--fresh", action="store_true", help="start from an empty Elasticsearch")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each side, alternating (median)")
    parser.add_argument("--heap", default="2g", help="Elasticsearch heap")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured rounds of the search mix first, at least (then on until the JIT settles)")
    args = parser.parse_args()
    stages = [s.strip() for s in args.only.split(",") if s.strip()]
    os.makedirs(DATA, exist_ok=True)
    path = conversations(args.count)
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "commit": commit(), "machine": machine(), "conversations": args.count, "stages": {}}
    engine = Engine(args.heap, fresh=args.fresh)
    try:
        if "ingest" in stages:
            log("Ingest: service _bulk vs raw Elasticsearch _bulk of the same index documents")
            results["stages"]["ingest"] = bench_ingest(engine, path, args.count, args.rounds)
        if "rules" in stages:
            log(f"Rules: the ingest stage with {len(BENCH_RULES)} enabled review rules")
            ruled = bench_ingest(engine, path, args.count, args.rounds, rules=BENCH_RULES)
            if "ingest" in stages:
                ruled["ratio_to_no_rules"] = round(ruled["ratio"] / results["stages"]["ingest"]["ratio"], 3)
                ruled["goal"] = "ratio_to_no_rules >= 0.9"
            results["stages"]["rules"] = ruled
        if "search" in stages or "analytics" in stages or "funnel" in stages or "export" in stages:
            load(engine, path, args.count)
        if "search" in stages:
            log("Search: a mix of filtered content searches with facets and highlights, service vs direct")
            # 20 measured rounds of the mix per --rounds: a p95 of a few hundred searches,
            # not of a hundred (its 6th worst), which swung by 20% between runs.
            results["stages"]["search"] = bench_search(engine, max(40, args.rounds * 40), args.warmup)
        if "analytics" in stages:
            log("Analytics: a mix of dashboard answers, service vs their _msearch requests direct")
            # 20 measured rounds of the mix per --rounds: 320 answers a side by default.
            results["stages"]["analytics"] = bench_analytics(engine, max(20, args.rounds * 20), args.warmup)
        if "funnel" in stages:
            log("Funnel: a mix of flow funnels, service vs their _msearch request direct")
            # 20 measured rounds of the mix per --rounds, as the analytics stage.
            results["stages"]["funnel"] = bench_funnel(engine, max(20, args.rounds * 20), args.warmup)
        if "export" in stages:
            log("Export: CSV vs a bare point-in-time dump and elasticdump; history zip; heap")
            results["stages"]["export"] = bench_export(engine, args.count, args.rounds)
        if "contacts" in stages:
            log("Repeat contacts: ingest for a contact with 100,000 conversations vs fresh contacts")
            results["stages"]["contacts"] = bench_contacts(engine, args.count)
        if "live" in stages:
            log("Live: from an append to the viewers' screens, 100 live conversations")
            results["stages"]["live"] = bench_live(engine)
    finally:
        engine.stop()
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    # A run with the service configured otherwise does not replace the run as configured.
    variant = "-service-env" if os.environ.get("BENCH_SERVICE_ENV") else ""
    out = os.path.join(HERE, "results", f"{results['date'][:10]}-{results['commit']}-{args.count}{variant}.json")
    with open(out, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))
    log(f"Results in {out}")


if __name__ == "__main__":
    main()
