#!/usr/bin/env python3
"""Writes a synthetic catalog of N services (plinth/v1 YAML) for benchmarks.

usage: gen_catalog.py DIR N
Ten teams of five people; each service has an owner, a tier, links and up to three
dependencies on earlier services, so the dependency graph is a realistic DAG.
"""
import os
import random
import sys


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    os.makedirs(out, exist_ok=True)
    zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
    with open(os.path.join(out, "org.yaml"), "w") as f:
        for t in range(10):
            members = []
            for p in range(5):
                name = f"person-{t}-{p}"
                members.append(name)
                f.write(f"---\napiVersion: plinth/v1\nkind: Person\nmetadata:\n  name: {name}\n"
                        f"spec:\n  email: {name}@example.com\n  timeZone: {zones[p % 4]}\n")
            f.write(f"---\napiVersion: plinth/v1\nkind: Team\nmetadata:\n  name: team-{t}\n"
                    f"spec:\n  members: [{', '.join(members)}]\n")
    with open(os.path.join(out, "services.yaml"), "w") as f:
        for i in range(n):
            deps = sorted({f"svc-{rng.randrange(i)}" for _ in range(min(i, 3))})
            f.write(f"---\napiVersion: plinth/v1\nkind: Service\nmetadata:\n  name: svc-{i}\n"
                    f"  description: Synthetic service {i}\n  tags: [bench, t{i % 4 + 1}]\n"
                    f"spec:\n  owner: team-{i % 10}\n  tier: {i % 4 + 1}\n"
                    f"  runbookUrl: https://runbooks.example.com/svc-{i}\n"
                    f"  attributes:\n    standardPipeline: {'true' if i % 3 else 'false'}\n")
            if deps:
                f.write(f"  dependsOn: [{', '.join(deps)}]\n")


if __name__ == "__main__":
    main()
