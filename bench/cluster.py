"""The cluster rig: three Elasticsearch nodes on loopback, two service instances on the
local PostgreSQL, and a fault script. It prints what was acknowledged against what is
stored, export rows against the snapshot's count, the time back to green, and the search
mix's latency on the cluster beside one node's. Run it with bench/cluster; its figures go
to bench/README.md.

Faults, in order:
  1. ingest through both instances; a data node (not the master) is killed a third of
     the way, started again; the elected master is killed at two thirds, started again;
  2. the search mix, measured on the cluster;
  3. an export through one instance while a data node is killed;
  4. an export through the other instance, which is killed mid-way: the first takes the
     export over from its last commit;
  5. the same conversations on one node, for the search mix beside it.
"""

import argparse
import collections
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse

import bench
from bench import log, Http, wait_for, free_port, java, jar, distribution, install_analysis_plugin, percentile

HOME = os.path.join(bench.DATA, "cluster")
PREFIX = "cluster"
SCHEMA = "bench_cluster"
POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test"


class Node:
    """One Elasticsearch node of the rig's cluster, its data kept across restarts."""

    def __init__(self, name, http_port, transport_port, seeds, masters, heap):
        self.name, self.port, self.transport = name, http_port, transport_port
        self.home = os.path.join(HOME, name)
        self.seeds, self.masters, self.heap = seeds, masters, heap
        self.process = None
        self.http = Http(self.port, timeout=60)

    def start(self):
        for sub in ("data", "logs"):
            os.makedirs(os.path.join(self.home, sub), exist_ok=True)
        if not os.path.isdir(os.path.join(self.home, "config")):
            shutil.copytree(os.path.join(distribution(), "config"), os.path.join(self.home, "config"))
        command = [os.path.join(distribution(), "bin", "elasticsearch"),
                   "-E", "cluster.name=archive-bench-cluster", "-E", f"node.name={self.name}",
                   "-E", "xpack.security.enabled=false", "-E", "network.host=127.0.0.1",
                   "-E", f"http.port={self.port}", "-E", f"transport.port={self.transport}",
                   "-E", f"discovery.seed_hosts={self.seeds}", "-E", f"cluster.initial_master_nodes={self.masters}",
                   "-E", f"path.data={self.home}/data", "-E", f"path.logs={self.home}/logs",
                   "-E", "cluster.routing.allocation.disk.threshold_enabled=false"]
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "nobody:nogroup", HOME], check=True)
            command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + command
        env = {k: v for k, v in os.environ.items() if not k.startswith("ES_")}
        env.update(ES_JAVA_HOME=bench.java_home(), ES_PATH_CONF=os.path.join(self.home, "config"),
                   ES_JAVA_OPTS=f"-Xms{self.heap} -Xmx{self.heap}", HOME=self.home)
        # A session of its own: a kill reaches the launcher and the server it started.
        self.process = subprocess.Popen(command, env=env, stdout=open(os.path.join(self.home, "console.log"), "a"),
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self):
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.kill()


class Cluster:
    def __init__(self, count, heap, name="node"):
        ports = [(free_port(), free_port()) for _ in range(count)]
        seeds = ",".join(f"127.0.0.1:{transport}" for _, transport in ports)
        names = [f"{name}-{i + 1}" for i in range(count)]
        self.nodes = [Node(name, http, transport, seeds, ",".join(names), heap)
                      for name, (http, transport) in zip(names, ports)]
        for node in self.nodes:
            node.start()
        self.wait_for_status("green", 300)
        log(f"Cluster of {count} up: {self.uris()}")

    def uris(self):
        return ",".join(f"http://127.0.0.1:{node.port}" for node in self.nodes)

    def live(self):
        return next(node for node in self.nodes if node.process is not None)

    def master(self):
        name = self.live().http.json("GET", "/_cat/master?format=json")[0]["node"]
        return next(node for node in self.nodes if node.name == name)

    def data_node(self):
        master = self.master()
        return next(node for node in self.nodes if node is not master and node.process is not None)

    def wait_for_status(self, status, timeout):
        """Seconds until the cluster reports the status (green, or yellow and better)."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            try:
                answer = self.live().http.json(
                    "GET", f"/_cluster/health?wait_for_status={status}&timeout=1s", expect=(200, 408))
                if answer["status"] == status or (status == "yellow" and answer["status"] == "green"):
                    return time.perf_counter() - started
            except (OSError, RuntimeError, StopIteration, ValueError):
                time.sleep(0.5)
        raise RuntimeError(f"cluster not {status} after {timeout} s")

    def restart(self, node):
        """Seconds from starting the node again until the cluster is green."""
        started = time.perf_counter()
        node.start()
        wait_for(node.port, "/_cluster/health?timeout=1s")
        self.wait_for_status("green", 600)
        return time.perf_counter() - started

    def count(self, index):
        self.live().http.json("POST", f"/{index}/_refresh")
        return self.live().http.json("GET", f"/{index}/_count")["count"]

    def stop(self):
        for node in self.nodes:
            node.stop()


class Instance:
    """A service instance on the cluster and the rig's PostgreSQL schema."""

    def __init__(self, name, uris, extra=None):
        self.name = name
        self.port = free_port()
        env = dict(os.environ)
        env.update(SPRING_ELASTICSEARCH_URIS=uris, ARCHIVE_DATA_DIR=os.path.join(HOME, "service"),
                   ARCHIVE_DEMO_ENABLED="false", ARCHIVE_ELASTICSEARCH_INDEX_PREFIX=PREFIX,
                   SERVER_PORT=str(self.port), ARCHIVE_SECURITY_BOOTSTRAP_KEY=bench.BENCH_KEY,
                   SPRING_DATASOURCE_URL=f"{POSTGRES}?currentSchema={SCHEMA}", SPRING_DATASOURCE_USERNAME="postgres",
                   SPRING_DATASOURCE_PASSWORD="", SPRING_FLYWAY_DEFAULT_SCHEMA=SCHEMA,
                   # A dead instance's export is taken over within seconds, not minutes.
                   ARCHIVE_JOBS_STALE_AFTER="10s", ARCHIVE_JOBS_RECOVERY_INTERVAL="2s", ARCHIVE_EXPORTS_RECOVERY="4s",
                   ARCHIVE_EXPORTS_CHUNK_SIZE="1000")
        env.update(extra or {})
        self.process = subprocess.Popen([java(), "-Xmx1g", "-jar", jar()], env=env,
                                        stdout=open(os.path.join(HOME, f"service-{name}.log"), "a"),
                                        stderr=subprocess.STDOUT, cwd=bench.ROOT)
        wait_for(self.port, "/actuator/health", timeout=300)
        self.http = Http(self.port, timeout=120, headers={"Authorization": "Bearer " + bench.BENCH_KEY})
        log(f"Service instance {name} up on :{self.port}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=120)


def fresh_schema():
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                    f"set client_min_messages = warning; drop schema if exists {SCHEMA} cascade"], check=True)


def ingest_under_faults(cluster, instances, path, batch):
    """Both instances take batches from one queue; faults come at a third and two thirds.
    Returns what the answers acknowledged."""
    batches = queue.Queue()
    chunk = []
    for line in bench.lines(path):
        chunk.append(line)
        if len(chunk) == batch:
            batches.put(chunk)
            chunk = []
    if chunk:
        batches.put(chunk)
    total = batches.qsize()
    sent = collections.Counter()
    acknowledged = {"created": 0, "replaced": 0, "ids": set(), "retries": 0, "failed_items": 0}
    lock = threading.Lock()

    def worker(instance):
        while True:
            try:
                lines = batches.get_nowait()
            except queue.Empty:
                return
            body = b"".join(lines)
            while True:
                try:
                    status, data = instance.http.request("POST", "/api/v1/conversations/_bulk", body,
                                                         {"Content-Type": "application/x-ndjson"})
                except OSError:
                    status, data = 0, b""
                if status == 200:
                    break
                # 503 with Retry-After while the cluster recovers: the client sends it again.
                with lock:
                    acknowledged["retries"] += 1
                time.sleep(1)
            result = json.loads(data)
            with lock:
                sent[instance.name] += 1
                acknowledged["created"] += result["created"]
                acknowledged["replaced"] += result["replaced"]
                for item in result.get("items", []):
                    if item.get("status", 500) < 300:
                        acknowledged["ids"].add(item["id"])
                    else:
                        acknowledged["failed_items"] += 1

    threads = [threading.Thread(target=worker, args=(instance,)) for instance in instances]
    for thread in threads:
        thread.start()
    faults = []
    started = time.perf_counter()

    def when_done(fraction):
        while total - batches.qsize() < total * fraction and any(t.is_alive() for t in threads):
            time.sleep(0.05)

    when_done(1 / 3)
    node = cluster.data_node()
    log(f"  killing data node {node.name} during ingest")
    node.kill()
    time.sleep(5)
    faults.append({"fault": f"data node {node.name} killed during ingest",
                   "seconds_to_green_after_restart": round(cluster.restart(node), 1)})
    when_done(2 / 3)
    master = cluster.master()
    log(f"  killing the elected master {master.name} during ingest")
    master.kill()
    time.sleep(5)
    faults.append({"fault": f"master {master.name} killed during ingest",
                   "seconds_to_green_after_restart": round(cluster.restart(master), 1)})
    for thread in threads:
        thread.join()
    acknowledged["seconds"] = round(time.perf_counter() - started, 1)
    acknowledged["batches_per_instance"] = dict(sent)
    return acknowledged, faults


def export_rows(instance, reader, job):
    """Rows and distinct ids of a completed export's CSV, downloaded from the reader (both
    instances answer at one address behind a balancer)."""
    link = urllib.parse.urlparse(job["downloadUrl"])
    status, data = reader.http.request("GET", link.path)
    if status != 200:
        raise RuntimeError(f"download answered {status}")
    rows = data.decode("utf-8-sig").splitlines()[1:]
    ids = {row.split(",", 1)[0] for row in rows}
    return len(rows), len(ids)


def export_with_fault(cluster, starter, reader, fault):
    """An export of every conversation, started on one instance; the fault strikes once a
    tenth of it is written."""
    snapshot = starter.http.json("GET", "/api/v1/conversations?size=1")["total"]
    job = starter.http.json("POST", "/api/v1/exports", {"filter": {}, "columns": ["id", "status"]}, expect=(202,))
    started = time.perf_counter()
    struck = None
    killed_node = None
    failed_since = None
    while True:
        try:
            job = reader.http.json("GET", f"/api/v1/exports/{job['id']}")
        except (OSError, RuntimeError):
            time.sleep(0.2)
            continue
        if job["status"] == "completed":
            break
        if job["status"] == "failed":
            # Between the dead instance's execution marked failed and its restart the
            # export reads as failed; a while after that it has really failed.
            failed_since = failed_since or time.perf_counter()
            if time.perf_counter() - failed_since > 60:
                break
        else:
            failed_since = None
        done = (job.get("progress") or {}).get("done") or 0
        if struck is None and done >= snapshot / 10:
            struck = done
            if fault == "data node":
                killed_node = cluster.data_node()
                log(f"  killing data node {killed_node.name} during an export ({done} rows written)")
                killed_node.kill()
            else:
                log(f"  killing service instance {starter.name} during its export ({done} rows written)")
                starter.kill()
        time.sleep(0.05)
    result = {"fault": f"{fault} killed during an export" if struck is not None
              else f"{fault}: the export ended before a tenth was written (no fault)",
              "status": job["status"], "snapshot_count": snapshot, "rows_written_when_struck": struck,
              "seconds": round(time.perf_counter() - started, 1), "error": job.get("error")}
    if job["status"] == "completed":
        rows, distinct = export_rows(starter, reader, job)
        result.update(rows=rows, distinct_ids=distinct, row_count=job.get("rowCount"))
    if killed_node is not None:
        result["seconds_to_green_after_restart"] = round(cluster.restart(killed_node), 1)
    return result


def search_mix(instance, rounds):
    times = []
    for round_number in range(rounds + 5):
        for query in bench.SEARCHES:
            elapsed = bench.time_service_search(instance, query)
            if round_number >= 5:
                times.append(elapsed)
    return {"searches": len(times), "p50_ms": round(percentile(times, 0.5), 1),
            "p95_ms": round(percentile(times, 0.95), 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=50_000, help="conversations (default 50000)")
    parser.add_argument("--heap", default="1g", help="each node's heap")
    parser.add_argument("--batch", type=int, default=1000, help="lines per bulk request")
    parser.add_argument("--rounds", type=int, default=20, help="measured rounds of the search mix")
    args = parser.parse_args()

    path = bench.conversations(args.count)
    install_analysis_plugin(distribution())
    shutil.rmtree(HOME, ignore_errors=True)
    os.makedirs(HOME)
    fresh_schema()
    result = {"date": time.strftime("%Y-%m-%d"), "commit": bench.commit(), "machine": bench.machine(),
              "conversations": args.count, "nodes": 3, "shards": 3, "replicas": 1}
    cluster = Cluster(3, args.heap)
    settings = {"ARCHIVE_ELASTICSEARCH_SHARDS": "3", "ARCHIVE_ELASTICSEARCH_REPLICAS": "1"}
    instances = []
    try:
        instances = [Instance("a", cluster.uris(), settings), Instance("b", cluster.uris(), settings)]
        log(f"Ingest of {args.count} conversations through both instances, nodes killed on the way")
        acknowledged, faults = ingest_under_faults(cluster, instances, path, args.batch)
        stored = cluster.count(f"{PREFIX}-conversations")
        ingest = {"lines": args.count, "acknowledged_ids": len(acknowledged["ids"]),
                  "created": acknowledged["created"], "replaced": acknowledged["replaced"],
                  "failed_items": acknowledged["failed_items"], "requests_sent_again": acknowledged["retries"],
                  "stored": stored, "seconds": acknowledged["seconds"],
                  "batches_per_instance": acknowledged["batches_per_instance"], "faults": faults}
        result["ingest"] = ingest
        log(f"  acknowledged {len(acknowledged['ids'])} (created {acknowledged['created']}, replaced "
            f"{acknowledged['replaced']}), stored {stored}; {faults}")
        shards = cluster.live().http.json(
            "GET", f"/_cat/shards/{PREFIX}-conversations*?format=json&h=index,shard,prirep,node,docs")
        result["shards"] = shards
        log("Search mix on the cluster")
        result["search_cluster"] = search_mix(instances[0], args.rounds)
        log(f"  {result['search_cluster']}")
        log("Export through instance a, a data node killed")
        result["export_node_killed"] = export_with_fault(cluster, instances[0], instances[0], "data node")
        log(f"  {result['export_node_killed']}")
        log("Export through instance b, instance b killed")
        result["export_instance_killed"] = export_with_fault(cluster, instances[1], instances[0], "service instance")
        log(f"  {result['export_instance_killed']}")
    finally:
        for instance in instances:
            instance.stop()
        cluster.stop()

    log("The same conversations on one node, for the search mix beside the cluster's")
    fresh_schema()
    single = Cluster(1, "2g", name="single")
    try:
        instance = Instance("single", single.uris())
        try:
            bench.ingest_service(instance, path, 5000)
            single.count(f"{PREFIX}-conversations")
            result["search_single_node"] = search_mix(instance, args.rounds)
            log(f"  {result['search_single_node']}")
        finally:
            instance.stop()
    finally:
        single.stop()

    os.makedirs(os.path.join(bench.HERE, "results"), exist_ok=True)
    out = os.path.join(bench.HERE, "results", f"{result['date']}-{result['commit']}-{args.count}-cluster.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    log(f"Wrote {out}")


if __name__ == "__main__":
    main()
