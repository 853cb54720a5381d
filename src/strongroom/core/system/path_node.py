"""sys/ha-status and sys/host-info: what this node says about itself.

Until HA lands (a later issue) the cluster is this one active node. Host facts come from the
standard library and /proc, in the shape of OpenBao's gopsutil-based answer (vault/hostutil);
a fact the platform does not expose is left out, as gopsutil's partial errors leave it empty.
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from strongroom import __version__
from strongroom.clock import rfc3339
from strongroom.core.request import Request, Response
from strongroom.logical.fields import NoFields

if TYPE_CHECKING:
    from strongroom.core.core import Core

_PROC = Path("/proc")
HA_STATUS_SYNOPSIS = "Check the HA status of the cluster."
HOST_INFO_SYNOPSIS = "Information about the host instance that this node is running on."


async def ha_status(core: Core, _req: Request, _f: NoFields) -> Response:
    node = {
        "hostname": socket.gethostname(),
        "api_address": core.defaults.api_address,
        "cluster_address": "",  # no cluster port: nodes share the storage backend instead
        "active_node": True,
        "last_echo": None,  # Vault: null for the active node itself
        "version": __version__,
    }
    return Response({"nodes": [node]}, top_level=True)


async def host_info(core: Core, _req: Request, _f: NoFields) -> Response:
    body = {
        "cpu": _cpus(),
        "cpu_times": _cpu_times(),
        "disk": [_disk("/")],
        "host": _host(),
        "memory": _memory(),
        "timestamp": rfc3339(core.clock.now()),
    }
    return Response(body)


def _read(name: str) -> str:
    try:
        return (_PROC / name).read_text()
    except OSError:
        return ""


def _cpus() -> list[dict[str, Any]]:
    """/proc/cpuinfo's processors, with gopsutil's InfoStat names."""
    cpus = []
    for block in _read("cpuinfo").strip().split("\n\n"):
        fields = {
            key.strip(): value.strip()
            for key, _, value in (line.partition(":") for line in block.splitlines())
        }
        if "processor" not in fields:
            continue
        cpus.append(
            {
                "cpu": int(fields["processor"]),
                "vendorId": fields.get("vendor_id", ""),
                "family": fields.get("cpu family", ""),
                "model": fields.get("model", ""),
                "stepping": int(fields.get("stepping", "0") or 0),
                "physicalId": fields.get("physical id", ""),
                "coreId": fields.get("core id", ""),
                "cores": 1,  # gopsutil on Linux: one InfoStat per logical CPU
                "modelName": fields.get("model name", ""),
                "mhz": round(float(fields.get("cpu MHz", "0") or 0)),
                "cacheSize": int(fields.get("cache size", "0").split()[0] or 0),
                "flags": fields.get("flags", "").split(),
                "microcode": fields.get("microcode", ""),
            }
        )
    return cpus


_TIMES = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest")


def _cpu_times() -> list[dict[str, Any]]:
    """Per-CPU lines of /proc/stat, in seconds (USER_HZ ticks / SC_CLK_TCK)."""
    ticks = os.sysconf("SC_CLK_TCK")
    times = []
    for line in _read("stat").splitlines():
        name, *values = line.split()
        if not name.startswith("cpu") or name == "cpu":
            continue
        seconds = [_go_float(int(v) / ticks) for v in values]
        entry: dict[str, Any] = {"cpu": name, **dict(zip(_TIMES, seconds, strict=False))}
        entry["guestNice"] = seconds[9] if len(seconds) > 9 else 0
        times.append(entry)
    return times


def _go_float(value: float) -> float | int:
    """As Go's JSON writes a float64: a whole number without ".0"."""
    return int(value) if value.is_integer() else value


def _disk(path: str) -> dict[str, Any]:
    usage = shutil.disk_usage(path)
    stat = os.statvfs(path)
    inodes_used = stat.f_files - stat.f_ffree
    return {
        "path": path,
        "fstype": "",
        "total": usage.total,
        "free": usage.free,
        "used": usage.used,
        "usedPercent": 100 * usage.used / (usage.used + usage.free) if usage.total else 0,
        "inodesTotal": stat.f_files,
        "inodesUsed": inodes_used,
        "inodesFree": stat.f_ffree,
        "inodesUsedPercent": 100 * inodes_used / stat.f_files if stat.f_files else 0,
    }


def _host() -> dict[str, Any]:
    uptime = int(float((_read("uptime").split() or ["0"])[0]))
    stat = _read("stat").splitlines()
    boot = next((int(line.split()[1]) for line in stat if line.startswith("btime ")), 0)
    return {
        "hostname": socket.gethostname(),
        "uptime": uptime,
        "bootTime": boot,
        "procs": sum(1 for entry in _PROC.iterdir() if entry.name.isdigit()),
        "os": platform.system().lower(),
        "platform": "",
        "platformFamily": "",
        "platformVersion": "",
        "kernelVersion": platform.release(),
        "kernelArch": platform.machine(),
        "virtualizationSystem": "",
        "virtualizationRole": "",
        "hostid": _read("sys/kernel/random/boot_id").strip(),
    }


# gopsutil's VirtualMemoryStat names for /proc/meminfo's lines (mem_linux.go).
_MEMINFO = {
    "total": "MemTotal",
    "available": "MemAvailable",
    "free": "MemFree",
    "active": "Active",
    "inactive": "Inactive",
    "buffers": "Buffers",
    "cached": "Cached",
    "writeback": "Writeback",
    "dirty": "Dirty",
    "writebacktmp": "WritebackTmp",
    "shared": "Shmem",
    "slab": "Slab",
    "sreclaimable": "SReclaimable",
    "sunreclaim": "SUnreclaim",
    "pagetables": "PageTables",
    "swapcached": "SwapCached",
    "commitlimit": "CommitLimit",
    "committedas": "Committed_AS",
    "hightotal": "HighTotal",
    "highfree": "HighFree",
    "lowtotal": "LowTotal",
    "lowfree": "LowFree",
    "swaptotal": "SwapTotal",
    "swapfree": "SwapFree",
    "mapped": "Mapped",
    "vmalloctotal": "VmallocTotal",
    "vmallocused": "VmallocUsed",
    "vmallocchunk": "VmallocChunk",
    "hugepagestotal": "HugePages_Total",
    "hugepagesfree": "HugePages_Free",
    "hugepagesize": "Hugepagesize",
}


def _memory() -> dict[str, Any]:
    """/proc/meminfo in bytes (page counts stay counts), under gopsutil's names."""
    info: dict[str, int] = {}
    for line in _read("meminfo").splitlines():
        key, _, value = line.partition(":")
        number, *unit = value.split() or ["0"]
        info[key] = int(number) * (1024 if unit else 1)
    memory = {name: info.get(key, 0) for name, key in _MEMINFO.items()}
    used = memory["total"] - memory["free"] - memory["buffers"] - memory["cached"]
    total = memory["total"]
    return {
        **memory,
        "used": used,
        "usedPercent": 100 * used / total if total else 0,
        "wired": 0,  # BSD and macOS only
        "laundry": 0,
    }
