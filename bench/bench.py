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
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

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


def cpu_seconds(pid):
    """CPU time used by a process and its children so far."""
    total = 0.0
    for task in [pid] + children(pid):
        try:
            with open(f"/proc/{task}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
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


def jar():
    target = os.path.join(ROOT, "target")
    jars = [f for f in os.listdir(target) if f.startswith("conversation-archive-") and f.endswith(".jar")] \
        if os.path.isdir(target) else []
    if not jars:
        raise SystemExit("No service jar: run ./mvnw -DskipTests package first (bench/run does).")
    return os.path.join(target, sorted(jars)[-1])


def distribution():
    base = os.path.join(ROOT, "target", "elasticsearch")
    dists = [d for d in os.listdir(base) if d.startswith("elasticsearch-")] if os.path.isdir(base) else []
    if not dists:
        raise SystemExit("No Elasticsearch distribution under target/elasticsearch: build the project first.")
    return os.path.join(base, dists[0])


class Engine:
    """One Elasticsearch node, as the service's embedded default runs it."""

    def __init__(self, heap):
        self.port = free_port()
        self.home = os.path.join(DATA, "engine")
        shutil.rmtree(self.home, ignore_errors=True)
        for sub in ("data", "logs"):
            os.makedirs(os.path.join(self.home, sub))
        shutil.copytree(os.path.join(distribution(), "config"), os.path.join(self.home, "config"))
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
        self.process = subprocess.Popen([java(), f"-Xmx{heap}", "-jar", jar()], env=env, stdout=self.log,
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
    engine.http.request("DELETE", f"/{pattern}?expand_wildcards=all&allow_no_indices=true")


def bench_ingest(engine, path, rounds):
    """Service _bulk against raw _bulk of the very same index documents, same mapping.

    The service is stopped before each raw round, so that its background upkeep of
    contact counts cannot slow the baseline down.
    """
    prefix = "bench"
    batch = 500
    extra = json.loads(os.environ.get("BENCH_SERVICE_ENV", "{}"))
    bulk_path = os.path.join(DATA, "raw-bulk.ndjson")
    service_runs, raw_runs = [], []
    for round_number in range(rounds):
        delete_indices(engine, f"{prefix}-conversations-*,{prefix}-contacts")
        service = Service(engine, prefix, extra=extra)
        try:
            service_cpu, engine_cpu = cpu_seconds(service.pid()), cpu_seconds(engine.process.pid)
            count, seconds = ingest_service(service, path, 5000)
            log(f"    cpu: service {cpu_seconds(service.pid()) - service_cpu:.1f}s, "
                f"elasticsearch {cpu_seconds(engine.process.pid) - engine_cpu:.1f}s")
        finally:
            service.stop()
        service_runs.append(count / seconds)
        log(f"  service _bulk round {round_number + 1}: {count} conversations in {seconds:.1f}s "
            f"= {count / seconds:.0f}/s")
        engine.http.request("POST", f"/{prefix}-conversations/_refresh")
        if round_number == 0:
            copy_templates(engine, prefix)
            dumped = dump_index_documents(engine, prefix, bulk_path)
            log(f"  dumped {dumped} index documents for the raw baseline")
        delete_indices(engine, f"raw-{prefix}-conversations-*")
        engine_cpu = cpu_seconds(engine.process.pid)
        count, seconds = ingest_raw(engine, bulk_path, batch)
        log(f"    cpu: elasticsearch {cpu_seconds(engine.process.pid) - engine_cpu:.1f}s")
        raw_runs.append(count / seconds)
        log(f"  raw _bulk round {round_number + 1}: {count} documents in {seconds:.1f}s = {count / seconds:.0f}/s")
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
            "batch": batch}


# --- Main ------------------------------------------------------------------------------

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
    parser.add_argument("--only", default="ingest", help="comma-separated stages: ingest")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each side, alternating (median)")
    parser.add_argument("--heap", default="2g", help="Elasticsearch heap")
    args = parser.parse_args()
    stages = [s.strip() for s in args.only.split(",") if s.strip()]
    os.makedirs(DATA, exist_ok=True)
    path = conversations(args.count)
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "commit": commit(), "machine": machine(), "conversations": args.count, "stages": {}}
    engine = Engine(args.heap)
    try:
        if "ingest" in stages:
            log("Ingest: service _bulk vs raw Elasticsearch _bulk of the same index documents")
            results["stages"]["ingest"] = bench_ingest(engine, path, args.rounds)
    finally:
        engine.stop()
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    out = os.path.join(HERE, "results", f"{results['date'][:10]}-{results['commit']}-{args.count}.json")
    with open(out, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))
    log(f"Results in {out}")


if __name__ == "__main__":
    main()
