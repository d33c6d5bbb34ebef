#!/usr/bin/env python3
"""The Python path users would otherwise script, measured on the same input as
`zhfacts extract`: jieba segmentation plus JioNLP's time and money/number
extraction over each page's text. It installs its own dependencies into a
virtual environment under target/pybench (from PyPI) on first run.

Run:  python3 benches/python_baseline.py [ROUNDS]
It prints MB/s for (a) jieba.lcut alone and (b) jieba + JioNLP extract_time +
extract_money, over corpus/seeds repeated ROUNDS times (default 20), single
process. Compare with `zhfacts extract` on the same files (README, Speed).
"""
import os, subprocess, sys, time, venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = os.path.join(ROOT, "target", "pybench")

def ensure_env():
    py = os.path.join(ENV, "bin", "python")
    if not os.path.exists(py):
        venv.EnvBuilder(with_pip=True).create(ENV)
        subprocess.check_call([py, "-m", "pip", "install", "-q", "jieba==0.42.1", "jionlp"])
    return py

def main():
    py = ensure_env()
    if sys.executable != py:
        os.execv(py, [py] + sys.argv)
    import jieba, jionlp
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seeds = os.path.join(ROOT, "corpus", "seeds")
    texts = [open(os.path.join(seeds, f), encoding="utf-8").read() for f in sorted(os.listdir(seeds))]
    size = sum(len(t.encode("utf-8")) for t in texts) * rounds
    jieba.initialize()
    t0 = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            jieba.lcut(t)
    a = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            jieba.lcut(t)
            jionlp.ner.extract_time(t, time_base=time.time())
            jionlp.ner.extract_money(t)
    b = time.perf_counter() - t0
    print(f"input {size/1e6:.2f} MB ({rounds} x seeds)")
    print(f"jieba.lcut alone:            {size/1e6/a:.2f} MB/s")
    print(f"jieba + JioNLP time & money: {size/1e6/b:.2f} MB/s")

if __name__ == "__main__":
    main()
