#!/usr/bin/env python3
"""Counts meson test results from testlog.json files and prints the last
line CI reads: "N passed, N failed". Anything that is not OK (a failure, a
timeout, a skip) counts as failed: nothing may be skipped silently."""
import json
import sys

passed = failed = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                result = json.loads(line).get("result")
                if result == "OK":
                    passed += 1
                else:
                    failed += 1
                    print("not passed: %s (%s) in %s" % (
                        json.loads(line).get("name"), result, path))
    except OSError as e:
        print("missing test log %s: %s" % (path, e))
        failed += 1
if passed + failed == 0:
    failed = 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
