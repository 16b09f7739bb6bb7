#!/usr/bin/env python3
"""The fast `aegis` (lint, render, policy) sees no header of the layers it must not load: its
sources, followed through every project #include, reach no canary/, kube/, verifier/, sign/ or
init/ header. A header pulled in by accident (cli/exit_codes.h once included canary/canary.h)
fails here even when it links today.

    fast_cli_headers_test.py SOURCE_DIR
"""
import os
import re
import sys

root = sys.argv[1]
cmake = open(os.path.join(root, "tools/CMakeLists.txt"), encoding="utf-8").read()
sources = re.search(r"add_executable\(aegis ([^)]*)\)", cmake).group(1).split()
forbidden = ("canary/", "kube/", "verifier/", "sign/", "init/")
include = re.compile(r'^#include "([a-z_]+/[A-Za-z0-9_./]+)"', re.M)


def path_of(name):
    for base in ("tools", ""):
        p = os.path.join(root, base, name)
        if os.path.isfile(p):
            return p
    return None


failures = []
for src in sources:
    seen, stack = set(), [(src, [src])]
    while stack:
        name, chain = stack.pop()
        p = path_of(name)
        if p is None:
            continue
        for inc in include.findall(open(p, encoding="utf-8").read()):
            if inc.startswith(forbidden):
                failures.append(" → ".join(chain + [inc]))
            elif inc not in seen:
                seen.add(inc)
                stack.append((inc, chain + [inc]))
for f in sorted(set(failures)):
    print("FAIL the fast aegis includes", f)
if failures:
    sys.exit(1)
print(f"fast aegis: {len(sources)} sources, no header of canary/kube/verifier/sign/init reached")
