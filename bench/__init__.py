"""Strongroom's benchmark harness: the same wrk workloads against Strongroom and OpenBao.

`python -m bench.run --quick|--full` (or `make bench-quick` / `make bench`) installs what it
needs, starts both servers on 127.0.0.1, runs every workload against each and writes
`bench/results/latest.{md,json}`. Layers, each a module: `procs` (child processes and their CPU
time), `tools` (wrk, the OpenBao venv), `api` (setup calls), `servers` (launch, init, unseal,
audit), `workloads` (per-workload setup + Lua script), `wrk` (one measurement), `report` (table,
targets), `startup` and `profile` (the extra modes), `run` (the command line).
"""
