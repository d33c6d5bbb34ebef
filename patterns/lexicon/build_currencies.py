#!/usr/bin/env python3
"""Build currencies.txt: the Chinese names of the world's currencies (美元,
马来西亚林吉特, 令吉, 泰铢, 卢比), so that an amount in any currency (约5亿令吉)
is a count with its currency as the unit.

Run:  pip install babel==2.18.0 opencc-python-reimplemented==0.1.7
      python3 patterns/lexicon/build_currencies.py

Inputs and licences:
  currencies   Babel 2.18.0 (CLDR, Unicode License): currency display names
               in zh, zh_Hant and zh_Hant_HK (Traditional locales add the
               forms used in Hong Kong, Taiwan and South-East Asia: 令吉, 澳元)
  territories  Babel 2.18.0 (CLDR): country names, stripped from the front of
               a currency name for its short form (马来西亚林吉特 -> 林吉特)
  t2s          opencc-python-reimplemented 0.1.7 (Apache-2.0), OpenCC's
               dictionaries: Traditional names to Simplified (the matching
               view is Simplified)

Metals, funds and test codes (ISO 4217 X-codes other than the CFA and CFP
francs and the East Caribbean dollar) are left out. A name is kept when it is Chinese characters only and at least two of them
(元, 镑 and 盾 alone are too common after a number to mean money); a short
form likewise.
"""
import re
from babel import Locale
from opencc import OpenCC
from lexicon_common import write_lexicon

LOCALES = ("zh", "zh_Hant", "zh_Hant_HK")
# ISO 4217 X-codes are metals (黄金, 白银), funds and test codes, except
# these currencies of currency unions.
MONEY_X = {"XAF", "XOF", "XPF", "XCD"}


def main():
    t2s = OpenCC("t2s")
    names = set()
    countries = set()
    for loc in LOCALES:
        locale = Locale.parse(loc)
        for n in locale.territories.values():
            countries.add(t2s.convert(n))
        for code, n in locale.currencies.items():
            if code.startswith("X") and code not in MONEY_X:
                continue
            names.add(t2s.convert(n))
    han = re.compile(r"[\u4e00-\u9fff]{2,}")
    out = {n for n in names if han.fullmatch(n)}
    for n in list(out):
        for c in countries:
            short = n[len(c):]
            if n.startswith(c) and han.fullmatch(short):
                out.add(short)
    write_lexicon(
        "currencies.txt",
        [
            "currency names (simplified): an amount before one is money, the currency its unit",
            "source: CLDR currency names (zh, zh_Hant, zh_Hant_HK) via Babel 2.18.0 (Unicode License),",
            "t2s by opencc-python-reimplemented 0.1.7 (Apache-2.0); short forms drop a CLDR country name",
            "built by build_currencies.py",
        ],
        sorted(out),
        "currency names",
    )


if __name__ == "__main__":
    main()
