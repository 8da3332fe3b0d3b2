#!/usr/bin/env bash
# The router-hop benchmark in one command: the same closed-loop load (batch-1 higgs_mlp_v1,
# c=1,16,64) direct to a backend, through the Yardmaster router and through nginx grpc_pass
# (skipped when nginx is not installed), in two CPU topologies: "shared" (every process on every
# core) and "proxy-core" (each proxy alone on the last core, load generator and backend on the
# others; needs taskset from util-linux), each concurrency in 3 rounds of direct, router, nginx back
# to back. Prints added p50/p99 and throughput ratios, checks the DESIGN.md budgets on the median
# of the rounds in each topology, writes target/bench/router-hop-*.json. About 5 minutes (the
# router warms its JIT before it reports ready, until its JIT compiler settles: up to 30 s of that).
# Usage: benchmarks/router-hop.sh [--process-warmup SECONDS] [--warmup SECONDS] [--measure SECONDS] [--rounds N] [--out DIR]
# Profile the router: ROUTER_HOP_ROUTER_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/router.jfr,dumponexit=true"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/yardmaster" --version >/dev/null # builds first when sources changed
CP="$(ls "$ROOT"/router/target/yardmaster-router-*.jar | head -1):$(cat "$ROOT/router/target/classpath.txt")"
cd "$ROOT"
exec java ${YARDMASTER_JAVA_OPTS:--Xmx1g} -cp "$CP" dev.yardmaster.router.front.hop.RouterHopBenchmark "$@"
