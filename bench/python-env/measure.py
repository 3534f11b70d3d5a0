"""Measures issue #14's targets through the built repro CLI. See run.sh."""
import base64
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

REPRO_DLL, ROUNDS = os.path.abspath(sys.argv[1]), int(sys.argv[2])
GIT = shutil.which("git")

MLPROJECT = """name: bench
{env}entry_points:
  main:
    command: "python3 noop.py"
"""


def write_wheel(directory, name, version):
    """A pure-Python wheel written by hand (PyPI is not needed)."""
    module = name.replace("-", "_")
    dist_info = f"{module}-{version}.dist-info"
    files = {
        f"{module}/__init__.py": f'VALUE = "{name} {version}"\n'.encode(),
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: repro-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    with zipfile.ZipFile(os.path.join(directory, f"{module}-{version}-py3-none-any.whl"), "w") as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)


def git(cwd, *args):
    subprocess.run([GIT, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=GIT_ENV)


def cpu_ms():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def repro(cwd, *args, env=None):
    """One `repro` process: wall time from start to exit and CPU time of its whole tree (ms), and its stderr."""
    cpu, start = cpu_ms(), time.perf_counter_ns()
    result = subprocess.run(["dotnet", REPRO_DLL, *args], cwd=cwd, env=env or ENV, capture_output=True, text=True)
    elapsed, used = (time.perf_counter_ns() - start) / 1e6, cpu_ms() - cpu
    if result.returncode != 0:
        sys.exit(f"repro {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return (elapsed, used), result.stderr


def subcommand(args):
    """The git subcommand of a logged argument list, after options such as -c NAME=VALUE and -C DIR."""
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in ("-c", "-C") else 1
    return args[i] if i < len(args) else ""


def summary(label, values):
    wall, cpu = [v[0] for v in values], [v[1] for v in values]
    return (f"{label:<50} wall median {statistics.median(wall):7.1f} ms (min {min(wall):6.1f}), "
            f"CPU median {statistics.median(cpu):7.1f} ms (min {min(cpu):6.1f})")


def added(label, measured, reference, target=""):
    wall = statistics.median([m[0] - r[0] for m, r in zip(measured, reference)])
    cpu = statistics.median([m[1] - r[1] for m, r in zip(measured, reference)])
    return f"{label:<50} wall {wall:+7.1f} ms, CPU {cpu:+7.1f} ms (medians of per-round differences){target}"


temp = tempfile.mkdtemp(prefix="repro-bench-env-")
try:
    GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "bench",
               "GIT_AUTHOR_EMAIL": "bench@example.invalid", "GIT_COMMITTER_NAME": "bench",
               "GIT_COMMITTER_EMAIL": "bench@example.invalid", "LC_ALL": "C"}
    # Every git process repro starts goes through this wrapper, which logs its arguments.
    wrapper_dir, git_log = os.path.join(temp, "bin"), os.path.join(temp, "git.log")
    os.makedirs(wrapper_dir)
    with open(os.path.join(wrapper_dir, "git"), "w") as wrapper:
        wrapper.write(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{git_log}"\nexec "{GIT}" "$@"\n')
    os.chmod(os.path.join(wrapper_dir, "git"), 0o755)
    wheels = os.path.join(temp, "wheels")
    os.makedirs(wheels)
    write_wheel(wheels, "bench-pkg", "1.0")
    python = subprocess.run(["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    ENV = {**GIT_ENV, "PATH": wrapper_dir + os.pathsep + os.environ["PATH"], "REPRO_CACHE_DIR": os.path.join(temp, "cache"),
           "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": wheels, "PIP_CONFIG_FILE": "/dev/null", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}

    # One committed project: python_env with one package; the entry point only starts Python and imports it.
    project = os.path.join(temp, "project")
    os.makedirs(project)
    files = {
        "MLproject": MLPROJECT.format(env="python_env: python_env.yaml\n"),
        "python_env.yaml": f'python: "{python}"\nbuild_dependencies:\n  - pip\ndependencies:\n  - bench-pkg==1.0\n',
        "noop.py": "try:\n    import bench_pkg\nexcept ImportError:\n    pass\n",
    }
    for name, content in files.items():
        with open(os.path.join(project, name), "w") as f:
            f.write(content)
    git(temp, "init", "--quiet", "--initial-branch=main", project)
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "bench")
    git(project, "tag", "v1")
    upstream = os.path.join(temp, "upstream.git")
    git(temp, "clone", "--quiet", "--bare", project, upstream)

    # 1. Environment reuse against the same run on the host's interpreter.
    store = os.path.join(temp, "store-env")
    built_ms, built_log = repro(project, "run", ".", "--store", store)
    assert "building a Python" in built_log, built_log
    virtualenv, local = [], []
    for _ in range(ROUNDS):
        elapsed, log = repro(project, "run", ".", "--store", store)
        assert "building" not in log, log
        virtualenv.append(elapsed)
        local.append(repro(project, "run", ".", "--store", store, "--env-manager", "local")[0])
    print(f"python_env environment reuse, {ROUNDS} interleaved rounds (first build: {built_ms[0]:.0f} ms)")
    print(summary("repro run, --env-manager virtualenv (reused)", virtualenv))
    print(summary("repro run, --env-manager local (reference)", local))
    print(added("added by reusing the environment", virtualenv, local, "; target <= 50 ms"))

    # 2. A URI whose commit is cached: no git fetch, no network (the upstream is gone), against a local clone.
    # The URI is an https URL that the user's git configuration maps to the bare repository for the first run; for
    # the re-runs git may not use https at all and the bare repository is gone, so any fetch would fail the run.
    uri = "https://example.invalid/org/bench.git"
    reachable, offline = os.path.join(temp, "gitconfig-reachable"), os.path.join(temp, "gitconfig-offline")
    with open(reachable, "w") as f:
        f.write(f'[url "file://{upstream}"]\n\tinsteadOf = {uri}\n')
    with open(offline, "w") as f:
        f.write('[protocol "https"]\n\tallow = never\n[protocol "file"]\n\tallow = never\n')
    here = os.path.join(temp, "here")
    os.makedirs(here)
    first_ms, first_log = repro(here, "run", uri, "-v", "v1", "--env-manager", "local", env={**ENV, "GIT_CONFIG_GLOBAL": reachable})
    assert "cloning" in first_log, first_log
    clone = os.path.join(temp, "clone")
    git(temp, "clone", "--quiet", upstream, clone)
    os.rename(upstream, upstream + ".gone")
    ENV["GIT_CONFIG_GLOBAL"] = offline
    cached, reference, calls = [], [], []
    for _ in range(ROUNDS):
        open(git_log, "w").close()
        elapsed, log = repro(here, "run", uri, "-v", "v1", "--env-manager", "local")
        assert "cloning" not in log and "fetching" not in log, log
        cached.append(elapsed)
        with open(git_log) as f:
            calls += [subcommand(line.split()) for line in f]
        reference.append(repro(clone, "run", ".", "--store", os.path.join(temp, "store-clone"), "--env-manager", "local")[0])
    network = [c for c in calls if c in ("fetch", "clone", "ls-remote", "pull", "remote", "submodule")]
    print(f"\nproject URI at a cached commit, {ROUNDS} interleaved rounds, upstream moved away (first run with clone: {first_ms[0]:.0f} ms)")
    print(summary(f"repro run {uri} -v v1 (cached)", cached))
    print(summary("repro run . in a local clone (reference)", reference))
    print(added("added by the URI (the run copies the checkout)", cached, reference))
    print(f"git processes started by the {ROUNDS} URI re-runs: {len(calls)} ({', '.join(sorted(set(calls))) or 'none'}); "
          f"fetch/clone/ls-remote/submodule: {len(network)}")
finally:
    shutil.rmtree(temp, ignore_errors=True)
