"""Train the course's character-level language model in PyTorch and write the shipped weights.

    python -m lstm_utils.charlm_train                      # the shipped model: SETTINGS, a few minutes
    python -m lstm_utils.charlm_train --steps 3 --out DIR  # a short run written elsewhere (the test's)
    python -m lstm_utils.charlm_train --snapshot-corpus    # rewrite the corpus from notebooks/ (rarely)

The model (:func:`build_model`) is an ``nn.Embedding``, one ``nn.LSTM`` layer and an ``nn.Linear`` over
the vocabulary; :class:`lstm_utils.charlm.CharLM` runs the same weights in NumPy. Training is truncated
backpropagation through time (notebook 17): the training text is cut into ``batch`` contiguous streams,
read ``seq_len`` characters at a time; the state at the end of one window starts the next (carried) but
the graph is cut there (``detach``), so gradients flow back at most ``seq_len`` steps. Adam, its
learning rate falling to zero along a cosine, the gradient norm clipped. Everything is seeded
(:func:`lstm_utils.seeding.torch_init` draws the initial weights the same way on every CPU); the
settings, the vocabulary and the training log are written beside the weights, in ``charlm.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from lstm_utils._validate import check_int
from lstm_utils.charlm import SETTINGS_FILE, UNKNOWN, WEIGHTS_FILE, CharLM

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["SETTINGS", "build_model", "stream_batches", "train"]

#: The shipped model's settings (``python -m lstm_utils.charlm_train`` with no options).
SETTINGS = {"seed": 0, "embedding": 32, "hidden": 256, "dropout": 0.2, "batch": 32, "seq_len": 100,
            "steps": 4500, "lr": 0.003, "clip": 1.0, "eval_every": 250}

ROOT = Path(__file__).resolve().parents[1]
RARE = 20          # a character seen fewer than RARE times in the prose becomes UNKNOWN
HELD_OUT = 10      # every HELD_OUT-th markdown cell is validation text


def vocabulary(text: str) -> str:
    """The characters of ``text`` and UNKNOWN, sorted by code point."""
    return "".join(sorted(set(text) | {UNKNOWN}))


def build_model(vocab_size: int, embedding: int, hidden: int, dropout: float = 0.0, seed: int = 0,
                dtype: object = None) -> object:
    """The PyTorch model: ``.embedding``, ``.lstm`` (batch first), ``.drop`` and ``.head``, seeded.

    ``model(x, state)`` takes indices of shape (batch, time) and returns logits of shape
    (batch, time, vocab_size) and the state ``(h, c)``.
    """
    import torch
    from torch import nn

    from lstm_utils.seeding import torch_init

    class CharLSTM(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embedding)
            self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
            self.drop = nn.Dropout(dropout)
            self.head = nn.Linear(hidden, vocab_size)

        def forward(self, x, state=None):
            outputs, state = self.lstm(self.embedding(x), state)    # (batch, time, hidden)
            return self.head(self.drop(outputs)), state             # (batch, time, vocab_size)

    model = torch_init(CharLSTM(), seed=seed)
    return model.to(dtype or torch.get_default_dtype())


def stream_batches(indices: np.ndarray, batch: int, seq_len: int):
    """Windows ``(x, y)`` of shape (batch, seq_len) for truncated BPTT: row b reads stream b in order.

    The text is cut into ``batch`` equal contiguous streams (the remainder dropped); window k holds
    characters ``k*seq_len ... (k+1)*seq_len - 1`` of each stream, and ``y`` is ``x`` shifted by one.

    Raises
    ------
    TypeError, ValueError
        ``batch`` or ``seq_len`` not an int >= 1, or a text too short to give each stream one window.
    """
    batch = check_int("batch", batch)
    seq_len = check_int("seq_len", seq_len)
    length = (len(indices) - 1) // batch
    if length < seq_len:
        raise ValueError(f"the text ({len(indices)} characters) gives each of the batch={batch} streams "
                         f"{length} characters, fewer than one window of seq_len={seq_len}.")
    streams = np.asarray(indices[: batch * length + 1])
    x_all = streams[:-1].reshape(batch, length)          # (batch, length)
    y_all = streams[1:].reshape(batch, length)
    for start in range(0, length - seq_len + 1, seq_len):
        yield x_all[:, start:start + seq_len], y_all[:, start:start + seq_len]


def train(settings: dict | None = None, out: Path | None = None, log: object = print) -> CharLM:
    """Train with ``settings`` (SETTINGS updated by the given keys); write the weights if ``out``.

    Returns the trained model as a :class:`~lstm_utils.charlm.CharLM`, its ``.settings`` holding the
    settings, the vocabulary, the corpus sizes, the log and the training time in seconds. Each entry of
    the log is [step, training bpc, validation bpc]: the training bpc is the loss of that step's window
    alone, with dropout on (a noisy figure, not a mean over the text); the validation bpc is the whole
    validation text's, without dropout.
    """
    import torch
    from torch import nn

    from lstm_utils.tasks import char_corpus

    settings = {**SETTINGS, **(settings or {})}
    for name in ("steps", "eval_every", "batch", "seq_len", "embedding", "hidden"):
        check_int(name, settings[name])
    torch.manual_seed(settings["seed"])                   # the dropout masks
    train_text, valid_text = char_corpus()
    vocab = vocabulary(train_text + valid_text)
    index = {ch: k for k, ch in enumerate(vocab)}
    train_ids = np.array([index[ch] for ch in train_text])
    model = build_model(len(vocab), settings["embedding"], settings["hidden"], settings["dropout"],
                        settings["seed"])
    optimiser = torch.optim.Adam(model.parameters(), lr=settings["lr"])
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=settings["steps"])
    loss_fn = nn.CrossEntropyLoss()
    history, step, started = [], 0, time.perf_counter()
    while step < settings["steps"]:                       # one pass over the streams is an epoch
        state = None
        for x, y in stream_batches(train_ids, settings["batch"], settings["seq_len"]):
            if step == settings["steps"]:
                break
            model.train()
            state = None if state is None else tuple(s.detach() for s in state)  # carry it, cut the graph
            logits, state = model(torch.from_numpy(x), state)
            loss = loss_fn(logits.reshape(-1, len(vocab)), torch.from_numpy(y).reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), settings["clip"])
            optimiser.step()
            schedule.step()                                # the learning rate falls to 0 along a cosine
            step += 1
            if step % settings["eval_every"] == 0 or step == settings["steps"]:
                model.eval()
                lm = CharLM.from_torch(model, vocab)
                valid_bpc = lm.bits_per_char(valid_text)
                history.append([step, round(loss.item() / np.log(2), 4), round(valid_bpc, 4)])
                log(f"step {step:5d}  train {history[-1][1]:.3f} bpc  valid {valid_bpc:.3f} bpc  "
                    f"{time.perf_counter() - started:.0f} s")
    seconds = time.perf_counter() - started
    model.eval()
    record = {**settings, "vocab": vocab, "train_chars": len(train_text), "valid_chars": len(valid_text),
              "history": history, "train_seconds": round(seconds, 1),
              "torch": torch.__version__, "command": "python -m lstm_utils.charlm_train"}
    lm = CharLM.from_torch(model, vocab, record)
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        arrays = {name: a.astype(np.float32) for name, a in lm.arrays().items()}
        np.savez_compressed(out / WEIGHTS_FILE.name, **arrays)
        (out / SETTINGS_FILE.name).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        log(f"wrote {out / WEIGHTS_FILE.name} and {SETTINGS_FILE.name} ({seconds:.0f} s of training)")
    return lm


def snapshot_corpus(root: Path = ROOT) -> dict:
    """Write the corpus files from the notebooks' markdown cells (see lstm_utils.tasks.char_corpus)."""
    import subprocess
    from collections import Counter

    notebooks = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    notebooks += sorted((root / "notebooks" / "exercises").glob("*.ipynb"))
    cells = [("".join(c["source"]).strip() + "\n")
             for path in notebooks for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "markdown"]
    counts = Counter("".join(cells))
    keep = {ch for ch, n in counts.items() if n >= RARE}
    cells = ["".join(ch if ch in keep else UNKNOWN for ch in cell) for cell in cells]
    parts = {"train": [c for k, c in enumerate(cells) if k % HELD_OUT != HELD_OUT - 1],
             "valid": [c for k, c in enumerate(cells) if k % HELD_OUT == HELD_OUT - 1]}
    data = Path(WEIGHTS_FILE).parent
    for name, chosen in parts.items():
        (data / f"char_corpus_{name}.txt").write_text("\n".join(chosen), encoding="utf-8")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                            check=True).stdout                       # the snapshot must name its commit
    record = {"source": "the markdown cells of notebooks/[0-9][0-9]_*.ipynb and notebooks/exercises/*.ipynb",
              "commit": commit.strip(), "licence": "MIT (this course's licence, pyproject.toml)",
              "held_out": f"every {HELD_OUT}th markdown cell", "rare": f"characters seen < {RARE} times -> "
              f"{UNKNOWN!r}", "cells": {k: len(v) for k, v in parts.items()},
              "characters": {k: len("\n".join(v)) for k, v in parts.items()}}
    (data / "char_corpus.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lstm_utils.charlm_train",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=SETTINGS["steps"], help="optimiser steps")
    parser.add_argument("--hidden", type=int, default=SETTINGS["hidden"], help="LSTM hidden size m")
    parser.add_argument("--eval-every", type=int, default=SETTINGS["eval_every"], help="steps between "
                        "validation measurements")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE.parent, help="folder for charlm.npz/.json")
    parser.add_argument("--snapshot-corpus", action="store_true", help="rewrite the corpus and stop")
    args = parser.parse_args(argv)
    if args.snapshot_corpus:
        print(json.dumps(snapshot_corpus(), indent=1))
        return 0
    for name in ("steps", "hidden", "eval_every"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} == {getattr(args, name)}, must be >= 1.")
    shipped = (args.steps, args.hidden) == (SETTINGS["steps"], SETTINGS["hidden"])
    if args.out.resolve() == WEIGHTS_FILE.parent and not shipped:
        parser.error("other settings than the shipped model's would overwrite its weights in "
                     f"{WEIGHTS_FILE.parent}: give --out DIR.")
    train({"steps": args.steps, "hidden": args.hidden, "eval_every": min(args.eval_every, args.steps)},
          args.out, log=lambda line: print(line, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
