"""Differential conformance (issue 15): every scripted scenario runs against a real OpenBao dev
server and a Strongroom dev server; their answers must agree in status and shape, except for
the differences `allowed.py` lists with a reason."""

from __future__ import annotations

import fnmatch
import hashlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.allowed import ALLOWED, EVERYWHERE, Allowed
from conformance.harness import Answer, Scenario, Target, differences, run
from conformance.scenarios import SCENARIOS


def _prefix(scenario: Scenario) -> str:
    """A short name of the scenario's own for its mounts, policies and namespaces."""
    return "c" + hashlib.sha256(scenario.name.encode()).hexdigest()[:8]


def _allowance(scenario: Scenario, label: str) -> tuple[str, Allowed] | None:
    for key in (f"{scenario.name}#{label}", scenario.name):
        if key in ALLOWED:
            return key, ALLOWED[key]
    return None


def _verdict(
    scenario: Scenario, prefix: str, expected: list[Answer], actual: list[Answer]
) -> list[str]:
    """What differs and is not allowed, and allowances that no longer match anything."""
    problems: list[str] = []
    used: set[str] = set()
    for index, (step, bao, ours) in enumerate(zip(scenario.steps, expected, actual, strict=True)):
        label = step.label or str(index)
        found = [
            d
            for d in differences(step, bao, ours, prefix)
            if not any(_matches(d, a.paths) for a in EVERYWHERE)
        ]
        allowance = _allowance(scenario, label)
        if allowance is not None:
            key, allowed = allowance
            kept = [d for d in found if allowed.paths and not _matches(d, allowed.paths)]
            used.update([key] if len(kept) < len(found) else [])
            found = kept
        where = " ".join(step.cli) or f"{step.method} {step.path}"
        problems += [f"step {label} ({where}): {d}" for d in found]
    stale = {k for k in ALLOWED if k.split("#")[0] == scenario.name} - used
    problems += [f"allowed difference no longer seen: {k} ({ALLOWED[k].reason})" for k in stale]
    return problems


def _matches(difference: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(difference, pattern) for pattern in patterns)


def test_scenario_names_are_unique_and_allowances_name_real_scenarios() -> None:
    names = Counter(s.name for s in SCENARIOS)
    assert [n for n, count in names.items() if count > 1] == []
    assert {k.split("#")[0] for k in ALLOWED} - names.keys() == set()


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario, openbao: Target, strongroom: Target) -> None:
    prefix = _prefix(scenario)
    # The servers share nothing, so both run at once (half the suite's wall time).
    with ThreadPoolExecutor(2) as pool:
        on_bao = pool.submit(run, openbao, scenario, prefix)
        actual = run(strongroom, scenario, prefix)
        expected = on_bao.result()
    problems = _verdict(scenario, prefix, expected, actual)
    assert not problems, "\n".join(problems)
