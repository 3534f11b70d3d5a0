"""Only the standard library: random in this process, in a forked child and in a Python subprocess, and set order."""
import os
import random
import subprocess
import sys

print("random", repr(random.random()))
print("set", list({"alpha", "beta", "gamma", "delta", "epsilon", "zeta"}))
sys.stdout.flush()
read, write = os.pipe()
child = os.fork()
if child == 0:
    os.close(read)
    os.write(write, repr(random.random()).encode())
    os._exit(0)
os.close(write)
os.waitpid(child, 0)
print("fork", os.read(read, 100).decode())
sys.stdout.flush()
subprocess.run([sys.executable, "-c", "import random; print('subprocess', repr(random.random()))"], check=True)
