"""Start-up cost of repro's Python hook, as a ratio to the bare interpreter (docs/performance.md).

For each case, every repetition starts the bare interpreter and the hooked one back to back, in alternating order,
so both see the same machine load; the figures are medians over all repetitions. The hook is the one shipped in
src/Repro.Core/AutoSeed/Hook, copied into a temporary folder and configured as a run configures it (REPRO_SEED,
PYTHONHASHSEED, REPRO_AUTOSEED_REPORT). "warm" runs find the hook's bytecode in its __pycache__; "cold" runs have it
deleted first, as the first process to use a freshly materialised hook folder finds it: once per hook version and
interpreter when the folder is shared by runs (PythonHook.VersionedFolderName), once per run when it is in the run
folder.

Usage: bench.py PYTHON [REPETITIONS]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOOK_SOURCE = os.path.join(HERE, "..", "..", "src", "Repro.Core", "AutoSeed", "Hook")


def main():
    python = sys.argv[1]
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    work = tempfile.mkdtemp(prefix="repro-hook-bench-")
    try:
        hook = os.path.join(work, "hook")
        shutil.copytree(HOOK_SOURCE, hook)
        report = os.path.join(work, "python.jsonl")
        base = {key: value for key, value in os.environ.items()
                if not key.startswith(("PYTHON", "REPRO_", "PL_"))}
        base["PYTHONHASHSEED"] = "42"
        base["REPRO_SEED"] = "42"
        bare = dict(base)
        hooked = dict(base, PYTHONPATH=hook, REPRO_AUTOSEED_REPORT=report)
        has_numpy = subprocess.run([python, "-c", "import numpy"], env=bare, capture_output=True).returncode == 0
        cases = [("python -c pass", ["-c", "pass"])]
        if has_numpy:
            cases.append(("python -c 'import numpy'", ["-c", "import numpy"]))
        version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"], env=bare, capture_output=True, text=True).stdout.strip()
        print("%s (Python %s), %d repetitions per case, load average before: %s" % (python, version, repetitions, _load()))
        print()
        print("| Case | Hook | Bare median (ms) | Hooked median (ms) | Ratio of medians | Median of ratios |")
        print("|---|---|---:|---:|---:|---:|")
        for name, arguments in cases:
            for state in ("warm", "cold"):
                bare_times, hooked_times = [], []
                run(python, arguments, hooked)  # compiles the hook once, for the warm case
                for index in range(repetitions):
                    if state == "cold":
                        shutil.rmtree(os.path.join(hook, "__pycache__"), ignore_errors=True)
                    order = [("bare", bare), ("hooked", hooked)]
                    if index % 2:
                        order.reverse()
                    for label, environment in order:
                        elapsed = run(python, arguments, environment)
                        (bare_times if label == "bare" else hooked_times).append(elapsed)
                bare_median = statistics.median(bare_times)
                hooked_median = statistics.median(hooked_times)
                ratios = [h / b for h, b in zip(hooked_times, bare_times)]
                print("| `%s` | %s | %.1f | %.1f | %.2fx | %.2fx |" % (
                    name, state, bare_median * 1000, hooked_median * 1000, hooked_median / bare_median, statistics.median(ratios)))
        print()
        print("load average after: %s" % _load())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(python, arguments, environment):
    start = time.perf_counter()
    completed = subprocess.run([python] + arguments, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit("%s %s exited with %d" % (python, " ".join(arguments), completed.returncode))
    return elapsed


def _load():
    try:
        with open("/proc/loadavg") as stream:
            return " ".join(stream.read().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
