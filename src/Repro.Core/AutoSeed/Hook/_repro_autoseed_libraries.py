# The seeding half of repro's Python hook (docs/python.md): what happens right after the program imports random,
# numpy.random, torch, tensorflow or multiprocessing.process, what a forked child or a multiprocessing worker does
# to get its own seeds, and the flags read back at exit. _repro_autoseed loads it on the first such import, so a
# program that imports none of them never pays for it. Keep it to Python 3.8 syntax.
import os
import sys

import _repro_autoseed as core


def after_import(name, module):
    AFTER_IMPORT[name](module)


def reseed_all(how):
    """Seeds again, from this process's new stream, every library seeded so far (in a forked child, a worker)."""
    for name in list(core.state.libraries):
        module = sys.modules.get(_MODULE_OF[name])
        if module is not None:
            core.guard("seeding %s in a %s" % (name, how), lambda name=name, module=module: _SEEDERS[name](module, how))


def _record(name, how):
    core.state.libraries[name] = {"name": name, "seed": core.state.seed, "at": how}


# --- random ------------------------------------------------------------------------------------------------------

def _seed_random(module, how):
    module.seed(core.state.seed)
    _record("random", how)


def _after_random_import(module):
    _seed_random(module, "import")
    # random reseeds itself from os.urandom in a forked child (a handler it registers at import); this one, registered
    # later, runs after it and puts the child's own seed back.
    os.register_at_fork(after_in_child=lambda: core.state is not None and core.guard(
        "reseeding random in a forked child", lambda: _seed_random(module, "fork")))


# --- numpy -------------------------------------------------------------------------------------------------------

def _seed_numpy(random_module, how):
    random_module.seed(core.state.seed)
    _record("numpy", how)


def _after_numpy_random_import(module):
    core.guard("numpy.random.seed", lambda: _seed_numpy(module, "import"))
    core.guard("making numpy.random.default_rng() deterministic", lambda: _wrap_default_rng(module))


def _wrap_default_rng(module):
    original = module.default_rng
    seed_sequence = module.SeedSequence

    def default_rng(seed=None):
        # Without a seed, the n-th call (from 0) in a process gets SeedSequence(entropy=process seed, spawn_key=(n,)):
        # the n-th child of SeedSequence(process seed).spawn(), so it never equals default_rng(process seed).
        if seed is None:
            index = core.state.default_rng_calls
            core.state.default_rng_calls = index + 1
            seed = seed_sequence(entropy=core.state.seed, spawn_key=(index,))
        return original(seed)

    default_rng.__doc__ = original.__doc__
    default_rng.__wrapped__ = original
    default_rng.__module__ = getattr(original, "__module__", module.__name__)
    module.default_rng = default_rng


# --- torch -------------------------------------------------------------------------------------------------------

def _seed_torch(torch, how):
    torch.manual_seed(core.state.seed)
    _record("torch", how)


def _after_torch_import(torch):
    # Each step on its own: a torch too old for one of them still gets the others.
    core.guard("torch.manual_seed", lambda: _seed_torch(torch, "import"))
    core.guard("torch.use_deterministic_algorithms(True, warn_only=True)", lambda: torch.use_deterministic_algorithms(True, warn_only=True))

    def cudnn():
        import torch.backends.cudnn
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False

    core.guard("setting torch.backends.cudnn.deterministic and benchmark", cudnn)

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

    core.guard("switching TF32 off for matmul and cuDNN", tf32)


# --- tensorflow --------------------------------------------------------------------------------------------------

def _seed_tensorflow(tf, how):
    tf.random.set_seed(core.state.seed)
    _record("tensorflow", how)


def _after_tensorflow_import(tf):
    core.guard("tf.random.set_seed", lambda: _seed_tensorflow(tf, "import"))
    experimental = getattr(getattr(tf, "config", None), "experimental", None)
    if experimental is not None and hasattr(experimental, "enable_op_determinism"):
        core.guard("tf.config.experimental.enable_op_determinism()", experimental.enable_op_determinism)


# --- multiprocessing ---------------------------------------------------------------------------------------------

def _after_multiprocessing_process_import(module):
    # Every multiprocessing child (fork, spawn or forkserver) runs BaseProcess._bootstrap. Its creator records its own
    # stream on the Process object (which travels to spawned children by pickle) and the child takes the stream
    # CREATOR/mp:N, N being the last number of the Process's _identity: its creation order in the creator.
    base = module.BaseProcess
    original_start = base.start
    original_bootstrap = base._bootstrap

    def start(self, *args, **kwargs):
        if core.state is not None:
            try:
                self._repro_autoseed_creator = core.state.stream
            except Exception:
                pass
        return original_start(self, *args, **kwargs)

    def _bootstrap(self, *args, **kwargs):
        if core.state is not None:
            core.guard("reseeding a multiprocessing worker", lambda: _enter_worker(self))
        try:
            return original_bootstrap(self, *args, **kwargs)
        finally:
            # Workers leave through os._exit, past atexit: this is their exit.
            core.report_once()

    start.__wrapped__ = original_start
    _bootstrap.__wrapped__ = original_bootstrap
    base.start = start
    base._bootstrap = _bootstrap


def _enter_worker(process):
    identity = getattr(process, "_identity", ()) or ()
    number = identity[-1] if identity else 0
    creator = getattr(process, "_repro_autoseed_creator", core.ROOT)
    core.state.reported = False
    core.enter_stream(core.child_stream(creator, "mp:%d" % number), "worker")


AFTER_IMPORT = {
    "random": _after_random_import,
    "numpy.random": _after_numpy_random_import,
    "torch": _after_torch_import,
    "tensorflow": _after_tensorflow_import,
    "multiprocessing.process": _after_multiprocessing_process_import,
}

# Library name in the report -> the module its seeder takes.
_MODULE_OF = {"random": "random", "numpy": "numpy.random", "torch": "torch", "tensorflow": "tensorflow"}
_SEEDERS = {"random": _seed_random, "numpy": _seed_numpy, "torch": _seed_torch, "tensorflow": _seed_tensorflow}


# --- Read back at exit -------------------------------------------------------------------------------------------

def read_flags():
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
        flags["numpy.random.default_rng.unseeded_calls"] = core.state.default_rng_calls
    if "tensorflow" in sys.modules:
        def op_determinism():
            from tensorflow.python.framework import config
            return config.is_op_determinism_enabled()
        _read(flags, "tensorflow.config.experimental.is_op_determinism_enabled", op_determinism)
    return flags


def _read(flags, name, read):
    try:
        value = read()
    except (AttributeError, ImportError):
        # Not in this version of the library: the flag is unknown, which the report shows by leaving it out.
        return
    except Exception as error:
        core.state.errors.append("reading %s failed (%s: %s)" % (name, type(error).__name__, error))
        return
    flags[name] = value if isinstance(value, (bool, int, float, str)) or value is None else repr(value)
