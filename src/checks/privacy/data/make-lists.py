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
# Surnames in the Census order (most frequent first): the guard reads a surname's rank from its
# line, to tell common surnames from rare ones.
ranked = []
for line in (names_dir / "dist.all.last").read_text().splitlines():
    if line.strip():
        ranked.append(line.split()[0].lower())
words = set()
for d in ["/usr/share/dict/american-english-small", "/usr/share/dict/british-english-small"]:
    for w in pathlib.Path(d).read_text().splitlines():
        if w.isalpha() and w.islower():
            words.add(w)

header = "# {what}: the 1990 US Census list (public domain), lower case, one per line.\n# Rebuilt by make-lists.py; see README.md.\n"
(here / "given-names.txt").write_text(header.format(what="Given names") + "\n".join(sorted(given)) + "\n")
(here / "surnames.txt").write_text(
    "# Surnames: the 1990 US Census list (public domain), lower case, most frequent first.\n"
    "# Rebuilt by make-lists.py; see README.md.\n" + "\n".join(ranked) + "\n")
(here / "english-words.txt").write_text(
    "# Everyday English words (SCOWL's small word lists as Debian ships them, wamerican-small and\n"
    "# wbritish-small, lower-case entries): a name that is one too is a name only beside another\n"
    "# name, and a capitalised word that is one is no unknown surname. Rebuilt by make-lists.py;\n"
    "# see README.md.\n" + "\n".join(sorted(words)) + "\n")
print(len(given), len(surnames), len(words))
