#!/usr/bin/env python3
"""Rebuilds given-names.txt, surnames.txt and common-words.txt from their public sources.

Sources (see README.md in this folder):
- the 1990 US Census name lists (public domain), as shipped in the PyPI package `names` 0.3.0
  (names/dist.male.first, dist.female.first, dist.all.last):
      pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz
- SCOWL's English word lists as Debian ships them (apt-get install wamerican-small wbritish-small):
  /usr/share/dict/american-english-small and british-english-small.

Usage: make-lists.py NAMES_DIR   (the folder holding dist.*)
"""
import pathlib
import sys

names_dir = pathlib.Path(sys.argv[1])
here = pathlib.Path(__file__).parent


def census(*files):
    out = set()
    for f in files:
        for line in (names_dir / f).read_text().splitlines():
            if line.strip():
                out.add(line.split()[0].lower())
    return out


given = census("dist.male.first", "dist.female.first")
surnames = census("dist.all.last")
words = set()
for d in ["/usr/share/dict/american-english-small", "/usr/share/dict/british-english-small"]:
    for w in pathlib.Path(d).read_text().splitlines():
        if w.isalpha() and w.islower():
            words.add(w)

header = "# {what}: the 1990 US Census list (public domain), lower case, one per line.\n# Rebuilt by make-lists.py; see README.md.\n"
(here / "given-names.txt").write_text(header.format(what="Given names") + "\n".join(sorted(given)) + "\n")
(here / "surnames.txt").write_text(header.format(what="Surnames") + "\n".join(sorted(surnames)) + "\n")
common = sorted((given | surnames) & words)
(here / "common-words.txt").write_text(
    "# Names that are also everyday English words (in SCOWL's word lists as Debian ships them,\n"
    "# wamerican-small and wbritish-small): a name only where the words around it say so. Rebuilt by\n"
    "# make-lists.py; see README.md.\n" + "\n".join(common) + "\n")
print(len(given), len(surnames), len(common))
