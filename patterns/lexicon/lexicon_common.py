"""Helpers shared by the lexicon build scripts of this folder."""
import glob, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def rows(name):
    """The tab-separated rows of a lexicon file of this folder, comments left out."""
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


def jieba_words(argv):
    """jieba-rs's dict.txt as word -> (frequency, tag): the path in argv[1], else
    the copy in the local cargo registry (jieba-rs is a dependency of the crate,
    so `cargo build` has fetched it)."""
    if len(argv) > 1:
        path = argv[1]
    else:
        found = sorted(glob.glob(os.path.expanduser(
            "~/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt")))
        if not found:
            sys.exit("jieba-rs dict.txt not found: run `cargo build` first or pass its path")
        path = found[-1]
    words = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                words[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    return words


def write_lexicon(name, header, lines, what):
    """Write a generated lexicon: its `#` header lines (source and licence),
    then one entry a line; say how many."""
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        for h in header:
            f.write(f"# {h}\n")
        for line in lines:
            f.write(line + "\n")
    print(f"{name}: {len(lines)} {what}")
