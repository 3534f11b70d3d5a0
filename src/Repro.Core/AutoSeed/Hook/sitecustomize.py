# repro's start-up hook for Python entry points (docs/python.md).
#
# repro puts the folder holding this file first on PYTHONPATH, so Python's `site` imports it at start-up in every
# Python process of a run. It hands over to _repro_autoseed (Python 3.8 and later), takes its folder off sys.path
# again, then runs the sitecustomize that would have run without repro, so nothing the user had is lost.
# Its folder also holds _repro_autoseed_libraries, which _repro_autoseed loads by path when it is needed.
#
# This file must parse and run on every Python that may find it, Python 2 included: no f-strings, no annotations,
# and nothing here may raise into `site`, except the user's own sitecustomize, whose errors `site` reports as it
# always does.
import os
import sys


def _repro_same_folder(entry, folder):
    try:
        return os.path.normcase(os.path.abspath(entry or os.curdir)) == folder
    except Exception:
        return False


def _repro_start():
    folder = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))
    try:
        if sys.version_info >= (3, 8):
            # The folder is repro's own: its bytecode is cached even under PYTHONDONTWRITEBYTECODE, so only the first
            # process of a run compiles the hook. Nothing else runs yet, so no other module is affected.
            dont_write_bytecode = sys.dont_write_bytecode
            sys.dont_write_bytecode = False
            try:
                import _repro_autoseed
            finally:
                sys.dont_write_bytecode = dont_write_bytecode
            _repro_autoseed.install()
        else:
            _repro_unsupported()
    except Exception as error:
        sys.stderr.write("repro: auto-seed could not start (%s: %s); the program runs unseeded\n" % (type(error).__name__, error))
    sys.path[:] = [entry for entry in sys.path if not _repro_same_folder(entry, folder)]
    return folder


def _repro_unsupported():
    # Too old for the hook: say so once per process tree, and leave a line in the report so the manifest says so too.
    version = "%d.%d.%d" % tuple(sys.version_info[:3])
    if not os.environ.get("REPRO_AUTOSEED_ANNOUNCED"):
        os.environ["REPRO_AUTOSEED_ANNOUNCED"] = "1"
        sys.stderr.write("repro: Python %s is older than 3.8; repro does not seed its generators (docs/python.md)\n" % version)
    report = os.environ.get("REPRO_AUTOSEED_REPORT")
    if not report:
        return
    import json
    import platform
    line = json.dumps({
        "report": 1,
        "status": "unsupported",
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "executable": sys.executable,
        "pythonVersion": version,
        "implementation": platform.python_implementation().lower(),
        "errors": ["Python %s is older than 3.8, the oldest the hook supports" % version],
    }, sort_keys=True) + "\n"
    descriptor = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 438)
    try:
        os.write(descriptor, line.encode("utf-8"))
    finally:
        os.close(descriptor)


def _repro_chain(folder):
    # The sitecustomize this one shadows: the first one on the path without repro's folder. It runs as itself, under
    # its own name, and replaces this module in sys.modules, as if repro had never been there.
    path = [entry for entry in sys.path if not _repro_same_folder(entry, folder)]
    try:
        # The import machinery already in memory; importlib.util would cost every process a few milliseconds.
        from _frozen_importlib import module_from_spec
        from _frozen_importlib_external import PathFinder
    except ImportError:
        try:
            from importlib.machinery import PathFinder
            from importlib.util import module_from_spec
        except ImportError:
            _repro_chain_python2(path)
            return
    spec = PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


def _repro_chain_python2(path):
    import imp
    try:
        found = imp.find_module("sitecustomize", path)
    except ImportError:
        return
    try:
        imp.load_module("sitecustomize", *found)
    finally:
        if found[0] is not None:
            found[0].close()


_repro_chain(_repro_start())
