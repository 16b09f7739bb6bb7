#!/usr/bin/env python3
"""ARCHITECTURE.md's folder map names every source file where it lives: each folder of the map
exists, and each .h/.cc stem in tools/<layer>/, verifier/ and verifier/<layer>/ is named (as a whole word) in that
folder's paragraph — a file added, moved or renamed without the map fails here.

    architecture_names_test.py SOURCE_DIR
"""
import os
import re
import sys

root = sys.argv[1]
text = open(os.path.join(root, "ARCHITECTURE.md"), encoding="utf-8").read()
block = text.split("## Folders and what they own", 1)[1].split("```", 2)[1]

paragraphs = {}  # folder path -> its text
current = parent = None
for line in block.splitlines():
    m = re.match(r"^( ?)( ?)([A-Za-z0-9_.-]+/)\s", line + " ")
    if m and (m.group(1) == "" or parent is not None):
        name = m.group(3).rstrip("/")
        if m.group(1) == "":
            parent = name
            current = name
        else:
            current = parent + "/" + name
        paragraphs[current] = line[m.end(3):]
    elif current is not None:
        paragraphs[current] += " " + line.strip()

failures = []
for folder in paragraphs:
    if not os.path.isdir(os.path.join(root, folder)):
        failures.append(f"ARCHITECTURE.md names {folder}/, which does not exist")

code_folders = [os.path.join("tools", d) for d in sorted(os.listdir(os.path.join(root, "tools")))
                if os.path.isdir(os.path.join(root, "tools", d))] + ["verifier"] + \
               [os.path.join("verifier", d) for d in sorted(os.listdir(os.path.join(root, "verifier")))
                if os.path.isdir(os.path.join(root, "verifier", d)) and d != "sigstore-roots"]
for folder in code_folders:
    stems = sorted({os.path.splitext(f)[0] for f in os.listdir(os.path.join(root, folder)) if f.endswith((".h", ".cc"))})
    if folder not in paragraphs:
        failures.append(f"{folder}/ is not in ARCHITECTURE.md's folder map")
        continue
    words = set(re.findall(r"[A-Za-z0-9_]+", paragraphs[folder]))
    for stem in stems:
        if stem not in words:
            failures.append(f"{folder}/{stem}.* is not named in ARCHITECTURE.md under {folder}/")

for f in failures:
    print("FAIL", f)
if failures:
    sys.exit(1)
print(f"architecture map: {len(paragraphs)} folders, every source file named where it lives")
