# The project's own sitecustomize, on PYTHONPATH through the MLproject's env: repro's hook must still run it.
import os

os.environ["USER_SITECUSTOMIZE"] = "ran"
