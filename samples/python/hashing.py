"""Hash-order and random-number sample for repro (standard library only).

Two things make a plain Python script give different results from one run to the next:

* String hashing is salted per interpreter (PEP 456): the iteration order of a set of strings changes
  with every start unless PYTHONHASHSEED is set before the interpreter starts.
* The `random` module seeds itself from the operating system unless the script seeds it.

This script depends on both on purpose and, like most scripts, seeds nothing itself. `repro run` sets
PYTHONHASHSEED before the interpreter starts and its start-up hook seeds `random` from the run's seed
(docs/python.md), so under repro two runs with the same seed write identical files, while two bare runs differ.

Usage: python3 samples/python/hashing.py [--output-dir DIR] [--draws N]
"""

import argparse
import json
import os
import random
import sys

# Stations of the Capital Bikeshare system (the bikes sample's data): a set of strings whose iteration
# order follows their salted hashes.
STATIONS = [
    "Adams Mill & Columbia Rd NW", "Lincoln Memorial", "Union Station", "Dupont Circle",
    "Eastern Market Metro", "Jefferson Dr & 14th St SW", "Massachusetts Ave & Dupont Circle NW",
    "Columbus Circle / Union Station", "Thomas Circle", "Smithsonian-National Mall / Jefferson Dr & 12th St SW",
    "14th & V St NW", "15th & P St NW", "Georgetown Harbor / 30th St NW", "Logan Circle",
    "Potomac & Pennsylvania Ave SE", "Anacostia Metro", "Rosslyn Metro / Wilson Blvd & Ft Myer",
    "Crystal City Metro / 18th & Bell St", "Court House Metro / Wilson Blvd & N Uhle St", "Ballston Metro / N Stuart & 9th St N",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default="outputs/python", help="where route.json (and, outside repro, metrics.json) go")
    parser.add_argument("--draws", type=int, default=1000, help="simulated trips")
    args = parser.parse_args()
    if args.draws < 1:
        parser.error("--draws must be at least 1")

    # Not used to seed anything: repro's hook has already seeded `random` from it. An empty variable counts as unset,
    # as Python itself treats an empty PYTHONHASHSEED.
    seed_text = os.environ.get("REPRO_SEED") or None
    if seed_text is not None and not os.environ.get("PYTHONHASHSEED"):
        print("warning: REPRO_SEED is set but PYTHONHASHSEED is not: set iteration order still varies", file=sys.stderr)

    # The order a set of strings iterates in: depends on PYTHONHASHSEED.
    route = list(set(STATIONS))

    # Simulated trips between stations: depends on the state of `random`.
    trips = [random.randrange(len(route)) for _ in range(args.draws)]
    busiest = max(range(len(route)), key=lambda i: (trips.count(i), -i))

    result = {
        "hash_seed": os.environ.get("PYTHONHASHSEED") or None,
        "repro_seed": None if seed_text is None else int(seed_text),
        "route": route,
        "first_trips": trips[:10],
        "busiest_station": route[busiest],
    }
    os.makedirs(args.output_dir, exist_ok=True)
    write_json(os.path.join(args.output_dir, "route.json"), result)

    # Numbers that change when either the order or the random stream changes.
    metrics = {
        "route_score": sum(position * len(name) for position, name in enumerate(route)),
        "mean_trip_station": sum(trips) / len(trips),
        "busiest_station_trips": trips.count(busiest),
    }
    metrics_file = os.environ.get("REPRO_METRICS_FILE") or os.path.join(args.output_dir, "metrics.json")
    os.makedirs(os.path.dirname(os.path.abspath(metrics_file)), exist_ok=True)
    write_json(metrics_file, metrics)

    print(f"hash seed {result['hash_seed']}, repro seed {result['repro_seed']}: route starts at {route[0]!r}; "
          f"busiest station {route[busiest]!r}")
    return 0


def write_json(path: str, value: object) -> None:
    # Keys in insertion order, "\n" line ends and UTF-8 whatever the platform: the bytes follow the content only.
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        json.dump(value, stream, indent=2, ensure_ascii=False)
        stream.write("\n")


if __name__ == "__main__":
    sys.exit(main())
