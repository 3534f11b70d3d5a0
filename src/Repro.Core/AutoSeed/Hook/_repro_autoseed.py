# repro's auto-seeding for Python entry points (docs/python.md), started by repro's sitecustomize on Python 3.8+.
#
# What it does in each Python process of a run:
# - when the program imports `random`, `numpy`, `torch` or `tensorflow`, seeds its global generator (and, for torch
#   and tensorflow, switches on deterministic algorithms) right after the import, through a meta path finder;
# - makes `numpy.random.default_rng()` called without a seed deterministic;
# - gives forked children and multiprocessing workers distinct, deterministic seeds;
# - at exit, appends one JSON line saying what it seeded and what it read back to $REPRO_AUTOSEED_REPORT.
#
# Every Python process of a run pays for this module at start-up, so it holds only what start-up and exit need and
# imports nothing that Python has not loaded already; the seeding itself lives in _repro_autoseed_libraries, loaded
# when the program first imports a library it seeds. It never breaks the program: every failure is caught, written to
# stderr and to the report, and the program goes on. Keep both to Python 3.8 syntax.
import os
import sys

REPORT_FORMAT = 1
SEED_LIMIT = 2 ** 32
ROOT = "/"

SEED_VARIABLE = "REPRO_SEED"
REPORT_VARIABLE = "REPRO_AUTOSEED_REPORT"
ANNOUNCED_VARIABLE = "REPRO_AUTOSEED_ANNOUNCED"

# The modules whose import is followed by seeding (see _repro_autoseed_libraries.AFTER_IMPORT).
WATCHED = ("random", "numpy.random", "torch", "tensorflow", "multiprocessing.process")
LIBRARIES_MODULE = "_repro_autoseed_libraries"


class State:
    """Everything this process knows; copied into forked children, which then make it their own."""

    def __init__(self, run_seed):
        self.run_seed = run_seed
        self.stream = ROOT
        self.seed = run_seed
        self.forks = 0
        self.default_rng_calls = 0
        self.libraries = {}
        self.errors = []
        self.reported = False


state = None


def install():
    """Called once by sitecustomize. Reads the configuration from the environment and installs the hooks."""
    global state
    if state is not None:
        # A second copy of the hook further down the path (a run started from inside another run's child) chains
        # here as "the user's sitecustomize": this process is already seeded.
        return
    text = os.environ.get(SEED_VARIABLE)
    run_seed = _parse_seed(text)
    if run_seed is None:
        message = "%s is %s, not a whole number from 0 to %d; nothing is seeded" % (
            SEED_VARIABLE, "not set" if text is None else repr(text), SEED_LIMIT - 1)
        say(message)
        _write_line({"status": "not-seeded", "errors": [message]})
        return
    state = State(run_seed)
    _announce(run_seed)
    guard("installing the fork handler", lambda: os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child))
    guard("installing the import hook", _install_finder)
    import atexit
    atexit.register(report_once)


def _parse_seed(text):
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value < SEED_LIMIT else None


def _announce(run_seed):
    # One line per process tree: the first Python process to start says it, and the variable it leaves in the
    # environment keeps every Python process started from it (subprocesses, spawned workers) quiet.
    if os.environ.get(ANNOUNCED_VARIABLE):
        return
    os.environ[ANNOUNCED_VARIABLE] = "1"
    say("seeding random, numpy, torch and tensorflow from seed %d as the program imports them; a seed the "
        "program sets itself wins (docs/python.md)" % run_seed)


def say(message):
    try:
        sys.stderr.write("repro: %s\n" % message)
        sys.stderr.flush()
    except Exception:
        pass


def guard(what, action):
    """Runs one step of the hook; a failure is reported and recorded, never raised into the program."""
    try:
        return action()
    except Exception as error:
        message = "%s failed (%s: %s)" % (what, type(error).__name__, error)
        if state is not None:
            state.errors.append(message)
        say("auto-seed: %s; the program goes on" % message)
        return None


# --- Seeds per process -------------------------------------------------------------------------------------------

def derive_seed(run_seed, stream):
    """The seed of a process: the run seed itself for the first process of every interpreter the run starts (stream
    "/"), else the first 4 bytes, big-endian, of SHA-512 over "repro-autoseed", the run seed in decimal and the stream
    name, separated by NUL bytes. See docs/python.md."""
    if stream == ROOT:
        return run_seed
    try:
        from _sha2 import sha512
    except ImportError:
        try:
            from _sha512 import sha512
        except ImportError:
            from hashlib import sha512
    text = "repro-autoseed\0%d\0%s" % (run_seed, stream)
    return int.from_bytes(sha512(text.encode("utf-8")).digest()[:4], "big")


def child_stream(parent, step):
    return (parent if parent != ROOT else "") + "/" + step


def enter_stream(stream, how):
    """Makes this process the given stream: new seed, fresh counters, every library already seeded seeded again."""
    state.stream = stream
    state.seed = derive_seed(state.run_seed, stream)
    state.forks = 0
    state.default_rng_calls = 0
    libraries = sys.modules.get(LIBRARIES_MODULE)
    if libraries is not None:
        libraries.reseed_all(how)


def _before_fork():
    if state is not None:
        state.forks += 1


def _after_fork_in_child():
    # A forked child is a copy of its parent: without this every worker would draw the parent's numbers (NumPy,
    # torch) or numbers from os.urandom (random reseeds itself after a fork). The n-th fork of a process gets the
    # stream PARENT/fork:n, which is deterministic as long as the parent forks in a deterministic order.
    if state is None:
        return
    state.reported = False
    state.errors = []
    guard("reseeding a forked child", lambda: enter_stream(child_stream(state.stream, "fork:%d" % state.forks), "fork"))


# --- The import hook ---------------------------------------------------------------------------------------------

_FOLDER = os.path.dirname(os.path.abspath(__file__))


def _after_import(name, module):
    _libraries().after_import(name, module)


def _libraries():
    # Loaded from this module's folder by path: sitecustomize has taken the folder off sys.path by now. The loaders are
    # the ones Python imports with, already in memory; importlib.util would cost a process more than it saves.
    module = sys.modules.get(LIBRARIES_MODULE)
    if module is not None:
        return module
    try:
        from _frozen_importlib import module_from_spec, spec_from_loader
        from _frozen_importlib_external import SourceFileLoader
    except ImportError:
        from importlib.machinery import SourceFileLoader
        from importlib.util import module_from_spec, spec_from_loader
    loader = SourceFileLoader(LIBRARIES_MODULE, os.path.join(_FOLDER, LIBRARIES_MODULE + ".py"))
    module = module_from_spec(spec_from_loader(LIBRARIES_MODULE, loader))
    sys.modules[LIBRARIES_MODULE] = module
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[LIBRARIES_MODULE]
        raise
    return module


class _SeedingFinder:
    """A meta path finder that finds nothing itself: for the few modules it watches it asks the other finders, and
    makes the loader they return call the seeding step right after the module has executed. A failed import stays
    the program's own error, unchanged; the module stays watched, so a retried import is seeded."""

    def __init__(self, watched):
        self._watched = set(watched)

    def find_spec(self, name, path=None, target=None):
        if name not in self._watched:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                guard("hooking the import of %s" % name, lambda: self._hook(spec))
                return spec
        return None

    def _hook(self, spec):
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return
        name = spec.name
        original = loader.exec_module
        watched = self._watched

        def exec_module(module):
            # Some loaders (zipimport) serve many modules: only the watched one is followed by seeding.
            if getattr(getattr(module, "__spec__", None), "name", None) != name:
                return original(module)
            try:
                del loader.exec_module
            except AttributeError:
                pass
            original(module)
            if name in watched:
                watched.discard(name)
                guard("seeding %s" % name, lambda: _after_import(name, module))

        # An attribute on this loader object only: the loader keeps its class, so code that inspects
        # module.__loader__ sees what it would see without repro.
        loader.exec_module = exec_module

    def invalidate_caches(self):
        pass


def _install_finder():
    finder = _SeedingFinder(WATCHED)
    for name in WATCHED:
        module = sys.modules.get(name)
        if module is not None:
            # Imported before sitecustomize ran (by a .pth file, for example): seed it now.
            finder._watched.discard(name)
            guard("seeding %s" % name, lambda: _after_import(name, module))
    sys.meta_path.insert(0, finder)


# --- The report --------------------------------------------------------------------------------------------------

def report_once():
    """Appends this process's line to the report, once: at exit, or when a multiprocessing worker's bootstrap ends."""
    if state is None or state.reported:
        return
    state.reported = True
    try:
        libraries = sys.modules.get(LIBRARIES_MODULE)
        flags = libraries.read_flags() if libraries is not None else {}
        _write_line({
            "status": "seeded",
            "stream": state.stream,
            "runSeed": state.run_seed,
            "seed": state.seed,
            "libraries": [_with_version(library) for library in state.libraries.values()],
            "flags": flags,
            "errors": list(state.errors),
        })
    except Exception as error:
        say("auto-seed: writing the report failed (%s: %s)" % (type(error).__name__, error))


def _with_version(library):
    # Read at exit: a package's __version__ may not be set yet when one of its submodules (numpy.random) has loaded.
    version = None
    if library["name"] != "random":
        version = getattr(sys.modules.get(library["name"]), "__version__", None)
    return dict(library, version=version if isinstance(version, str) else None)


def _write_line(fields):
    path = os.environ.get(REPORT_VARIABLE)
    if not path:
        return
    line = dict(fields)
    line.update({
        "report": REPORT_FORMAT,
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "executable": sys.executable,
        "pythonVersion": "%d.%d.%d" % sys.version_info[:3],
        "implementation": sys.implementation.name,
    })
    data = (_to_json(line) + "\n").encode("ascii")
    # One write on a descriptor opened with O_APPEND: the kernel appends it whole, so lines from processes that end
    # at the same time never interleave.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def _to_json(value):
    # Not the json package: it imports re, which costs a process more than this whole hook.
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "null"
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        return "{" + ",".join(_json_string(str(key)) + ":" + _to_json(item) for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_to_json(item) for item in value) + "]"
    return _json_string(repr(value))


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_string(text):
    # ASCII JSON. A lone surrogate (an undecodable byte in a path) becomes U+FFFD: JSON readers refuse it.
    parts = []
    for character in text:
        code = ord(character)
        if character in _ESCAPES:
            parts.append(_ESCAPES[character])
        elif 0x20 <= code < 0x7F:
            parts.append(character)
        elif 0xD800 <= code < 0xE000:
            parts.append("\\ufffd")
        elif code < 0x10000:
            parts.append("\\u%04x" % code)
        else:
            code -= 0x10000
            parts.append("\\u%04x\\u%04x" % (0xD800 | (code >> 10), 0xDC00 | (code & 0x3FF)))
    return '"' + "".join(parts) + '"'
