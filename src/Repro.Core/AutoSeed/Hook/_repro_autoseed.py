# repro's auto-seeding for Python entry points (docs/python.md), started by repro's sitecustomize on Python 3.8+.
#
# What it does in each Python process of a run:
# - when the program imports `random`, `numpy`, `torch` or `tensorflow`, seeds its global generator (and, for torch
#   and tensorflow, switches on deterministic algorithms) right after the import, through a meta path finder: this
#   module imports nothing heavy itself, so a program pays only for what it imports;
# - makes `numpy.random.default_rng()` called without a seed deterministic;
# - gives forked children and multiprocessing workers distinct, deterministic seeds;
# - at exit, appends one JSON line describing what it seeded and what it read back to $REPRO_AUTOSEED_REPORT.
#
# It never breaks the program: every failure is caught, written to stderr and to the report, and the program goes on.
# Keep it to Python 3.8 syntax and standard library modules that are cheap to import.
import os
import sys

REPORT_FORMAT = 1
SEED_LIMIT = 2 ** 32
ROOT = "/"

SEED_VARIABLE = "REPRO_SEED"
REPORT_VARIABLE = "REPRO_AUTOSEED_REPORT"
ANNOUNCED_VARIABLE = "REPRO_AUTOSEED_ANNOUNCED"


class _State:
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


_state = None


def install():
    """Called once by sitecustomize. Reads the configuration from the environment and installs the hooks."""
    global _state
    if _state is not None:
        # A second copy of the hook further down the path (a run started from inside another run's child) chains
        # here as "the user's sitecustomize": this process is already seeded.
        return
    text = os.environ.get(SEED_VARIABLE)
    run_seed = _parse_seed(text)
    if run_seed is None:
        message = "%s is %s, not a whole number from 0 to %d; nothing is seeded" % (
            SEED_VARIABLE, "not set" if text is None else repr(text), SEED_LIMIT - 1)
        _say(message)
        _write_line({"status": "not-seeded", "errors": [message]})
        return
    _state = _State(run_seed)
    _announce(run_seed)
    _guard("installing the fork handler", lambda: os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child))
    _guard("installing the import hook", _install_finder)
    import atexit
    atexit.register(_report_once)


def _parse_seed(text):
    if text is None or not (text.strip().isascii() and text.strip().isdigit()):
        return None
    value = int(text.strip())
    return value if value < SEED_LIMIT else None


def _announce(run_seed):
    # One line per process tree: the first Python process to start says it, and the variable it leaves in the
    # environment keeps every Python process started from it (subprocesses, spawned workers) quiet.
    if os.environ.get(ANNOUNCED_VARIABLE):
        return
    os.environ[ANNOUNCED_VARIABLE] = "1"
    _say("seeding random, numpy, torch and tensorflow from seed %d as the program imports them; a seed the "
         "program sets itself wins (docs/python.md)" % run_seed)


def _say(message):
    try:
        sys.stderr.write("repro: %s\n" % message)
        sys.stderr.flush()
    except Exception:
        pass


def _guard(what, action):
    """Runs one step of the hook; a failure is reported and recorded, never raised into the program."""
    try:
        return action()
    except Exception as error:
        message = "%s failed (%s: %s)" % (what, type(error).__name__, error)
        if _state is not None:
            _state.errors.append(message)
        _say("auto-seed: %s; the program goes on" % message)
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


def _child_stream(parent, step):
    return (parent if parent != ROOT else "") + "/" + step


def _enter_stream(stream, how):
    """Makes this process the given stream: new seed, reseed every library already imported, fresh counters."""
    _state.stream = stream
    _state.seed = derive_seed(_state.run_seed, stream)
    _state.forks = 0
    _state.default_rng_calls = 0
    for name in list(_state.libraries):
        seeder = _SEEDERS.get(name)
        if seeder is not None and name in _MODULE_OF and _MODULE_OF[name] in sys.modules:
            _guard("seeding %s in a %s" % (name, how), lambda seeder=seeder: seeder(sys.modules[_MODULE_OF[name]], how))


def _before_fork():
    if _state is not None:
        _state.forks += 1


def _after_fork_in_child():
    # A forked child is a copy of its parent: without this every worker would draw the parent's numbers (NumPy,
    # torch) or numbers from os.urandom (random reseeds itself after a fork). The n-th fork of a process gets the
    # stream PARENT/fork:n, which is deterministic as long as the parent forks in a deterministic order.
    if _state is None:
        return
    _state.reported = False
    _state.errors = []
    _guard("reseeding a forked child", lambda: _enter_stream(_child_stream(_state.stream, "fork:%d" % _state.forks), "fork"))


# --- Libraries ---------------------------------------------------------------------------------------------------

def _record(name, how):
    _state.libraries[name] = {"name": name, "seed": _state.seed, "at": how}


def _seed_random(module, how):
    module.seed(_state.seed)
    _record("random", how)


def _after_random_import(module):
    _seed_random(module, "import")
    # random reseeds itself from os.urandom in a forked child (a handler it registers at import); this one, registered
    # later, runs after it and puts the child's own seed back.
    os.register_at_fork(after_in_child=lambda: _state is not None and _guard(
        "reseeding random in a forked child", lambda: _seed_random(module, "fork")))


def _seed_numpy(random_module, how):
    random_module.seed(_state.seed)
    _record("numpy", how)


def _after_numpy_random_import(module):
    _seed_numpy(module, "import")
    _guard("making numpy.random.default_rng() deterministic", lambda: _wrap_default_rng(module))


def _wrap_default_rng(module):
    original = module.default_rng
    seed_sequence = module.SeedSequence

    def default_rng(seed=None):
        # Without a seed, the n-th call (from 0) in a process gets SeedSequence(entropy=process seed, spawn_key=(n,)):
        # the n-th child of SeedSequence(process seed).spawn(), so it never equals default_rng(process seed).
        if seed is None:
            index = _state.default_rng_calls
            _state.default_rng_calls = index + 1
            seed = seed_sequence(entropy=_state.seed, spawn_key=(index,))
        return original(seed)

    default_rng.__doc__ = original.__doc__
    default_rng.__wrapped__ = original
    default_rng.__module__ = getattr(original, "__module__", module.__name__)
    module.default_rng = default_rng


def _seed_torch(torch, how):
    torch.manual_seed(_state.seed)
    _record("torch", how)


def _after_torch_import(torch):
    # Each step on its own: a torch too old for one of them still gets the others.
    _guard("torch.manual_seed", lambda: _seed_torch(torch, "import"))
    _guard("torch.use_deterministic_algorithms(True, warn_only=True)", lambda: torch.use_deterministic_algorithms(True, warn_only=True))

    def cudnn():
        import torch.backends.cudnn
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False

    _guard("setting torch.backends.cudnn.deterministic and benchmark", cudnn)

    def tf32():
        import warnings
        import torch.backends.cuda
        import torch.backends.cudnn
        # Recent torch versions warn that these switches are the legacy interface; they still work everywhere, and
        # the warning would only be noise in the user's log.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False

    _guard("switching TF32 off for matmul and cuDNN", tf32)


def _seed_tensorflow(tf, how):
    tf.random.set_seed(_state.seed)
    _record("tensorflow", how)


def _after_tensorflow_import(tf):
    _guard("tf.random.set_seed", lambda: _seed_tensorflow(tf, "import"))
    experimental = getattr(getattr(tf, "config", None), "experimental", None)
    if experimental is not None and hasattr(experimental, "enable_op_determinism"):
        _guard("tf.config.experimental.enable_op_determinism()", experimental.enable_op_determinism)


# --- Multiprocessing ---------------------------------------------------------------------------------------------

def _after_multiprocessing_process_import(module):
    # Every multiprocessing child (fork, spawn or forkserver) runs BaseProcess._bootstrap. Its creator records its own
    # stream on the Process object (which travels to spawned children by pickle) and the child takes the stream
    # CREATOR/mp:N, N being the last number of the Process's _identity: its creation order in the creator.
    base = module.BaseProcess
    original_start = base.start
    original_bootstrap = base._bootstrap

    def start(self, *args, **kwargs):
        if _state is not None:
            try:
                self._repro_autoseed_creator = _state.stream
            except Exception:
                pass
        return original_start(self, *args, **kwargs)

    def _bootstrap(self, *args, **kwargs):
        if _state is not None:
            _guard("reseeding a multiprocessing worker", lambda: _enter_worker(self))
        try:
            return original_bootstrap(self, *args, **kwargs)
        finally:
            _report_once()

    start.__wrapped__ = original_start
    _bootstrap.__wrapped__ = original_bootstrap
    base.start = start
    base._bootstrap = _bootstrap


def _enter_worker(process):
    identity = getattr(process, "_identity", ()) or ()
    number = identity[-1] if identity else 0
    creator = getattr(process, "_repro_autoseed_creator", ROOT)
    _state.reported = False
    _enter_stream(_child_stream(creator, "mp:%d" % number), "worker")


_AFTER_IMPORT = {
    "random": _after_random_import,
    "numpy.random": _after_numpy_random_import,
    "torch": _after_torch_import,
    "tensorflow": _after_tensorflow_import,
    "multiprocessing.process": _after_multiprocessing_process_import,
}

# Library name in the report -> the module its seeder takes, for reseeding in a child.
_MODULE_OF = {"random": "random", "numpy": "numpy.random", "torch": "torch", "tensorflow": "tensorflow"}
_SEEDERS = {"random": _seed_random, "numpy": _seed_numpy, "torch": _seed_torch, "tensorflow": _seed_tensorflow}


# --- The import hook ---------------------------------------------------------------------------------------------

class _SeedingFinder:
    """A meta path finder that finds nothing itself: for the few modules it watches it asks the other finders, and
    makes the loader they return call the seeding step right after the module has executed. A failed import stays
    the program's own error, unchanged; the module stays watched, so a retried import is seeded."""

    def __init__(self, watched):
        self._watched = dict(watched)

    def find_spec(self, name, path=None, target=None):
        if name not in self._watched:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                _guard("hooking the import of %s" % name, lambda: self._hook(spec))
                return spec
        return None

    def _hook(self, spec):
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return
        name = spec.name
        original = loader.exec_module

        def exec_module(module):
            # Some loaders (zipimport) serve many modules: only the watched one is followed by seeding.
            if getattr(getattr(module, "__spec__", None), "name", None) != name:
                return original(module)
            try:
                del loader.exec_module
            except AttributeError:
                pass
            original(module)
            action = self._watched.pop(name, None)
            if action is not None:
                _guard("seeding %s" % name, lambda: action(module))

        # An attribute on this loader object only: the loader keeps its class, so code that inspects
        # module.__loader__ sees what it would see without repro.
        loader.exec_module = exec_module

    def invalidate_caches(self):
        pass


def _install_finder():
    finder = _SeedingFinder(_AFTER_IMPORT)
    for name in list(_AFTER_IMPORT):
        module = sys.modules.get(name)
        if module is not None:
            # Imported before sitecustomize ran (a .pth file, for example): seed it now.
            action = finder._watched.pop(name)
            _guard("seeding %s" % name, lambda: action(module))
    sys.meta_path.insert(0, finder)


# --- The report --------------------------------------------------------------------------------------------------

def _with_version(library):
    # Read at exit: a package's __version__ may not be set yet when one of its submodules (numpy.random) has loaded.
    version = None
    if library["name"] != "random":
        version = getattr(sys.modules.get(library["name"]), "__version__", None)
    return dict(library, version=version if isinstance(version, str) else None)


def _read_flags():
    flags = {}
    torch = sys.modules.get("torch")
    if torch is not None:
        _read(flags, "torch.are_deterministic_algorithms_enabled", lambda: torch.are_deterministic_algorithms_enabled())
        _read(flags, "torch.is_deterministic_algorithms_warn_only_enabled", lambda: torch.is_deterministic_algorithms_warn_only_enabled())
        _read(flags, "torch.backends.cudnn.deterministic", lambda: torch.backends.cudnn.deterministic)
        _read(flags, "torch.backends.cudnn.benchmark", lambda: torch.backends.cudnn.benchmark)
        _read(flags, "torch.backends.cudnn.allow_tf32", lambda: torch.backends.cudnn.allow_tf32)
        _read(flags, "torch.backends.cuda.matmul.allow_tf32", lambda: torch.backends.cuda.matmul.allow_tf32)
        _read(flags, "torch.get_float32_matmul_precision", lambda: torch.get_float32_matmul_precision())
        _read(flags, "torch.initial_seed", lambda: torch.initial_seed())
        _read(flags, "torch.cuda.is_initialized", lambda: torch.cuda.is_initialized())
    if "numpy.random" in sys.modules:
        flags["numpy.random.default_rng.unseeded_calls"] = _state.default_rng_calls
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        def op_determinism():
            from tensorflow.python.framework import config
            return config.is_op_determinism_enabled()
        _read(flags, "tensorflow.config.experimental.is_op_determinism_enabled", op_determinism)
    return flags


def _read(flags, name, read):
    try:
        value = read()
    except AttributeError:
        # Not in this version of the library: the flag is unknown, which the report shows by leaving it out.
        return
    except Exception as error:
        _state.errors.append("reading %s failed (%s: %s)" % (name, type(error).__name__, error))
        return
    flags[name] = value if isinstance(value, (bool, int, float, str)) or value is None else repr(value)


def _report_once():
    if _state is None or _state.reported:
        return
    _state.reported = True
    try:
        flags = _read_flags()
        _write_line({
            "status": "seeded",
            "stream": _state.stream,
            "runSeed": _state.run_seed,
            "seed": _state.seed,
            "libraries": [_with_version(library) for library in _state.libraries.values()],
            "flags": flags,
            "errors": list(_state.errors),
        })
    except Exception as error:
        _say("auto-seed: writing the report failed (%s: %s)" % (type(error).__name__, error))


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
    # The json package imports re, which costs more than all of this hook at exit; _json's string encoder is the
    # part that matters, and it is a built-in accelerator.
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
        return _encode_string(value)
    if isinstance(value, dict):
        return "{" + ",".join(_encode_string(str(key)) + ":" + _to_json(item) for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_to_json(item) for item in value) + "]"
    return _encode_string(repr(value))


def _encode_string(text):
    try:
        from _json import encode_basestring_ascii
    except ImportError:
        from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii
    return encode_basestring_ascii(text)
