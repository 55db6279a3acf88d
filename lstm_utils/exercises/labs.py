"""The coding labs: the learner writes a function, ``check(lab_id, fn)`` grades it on hidden cases.

Each :class:`Lab` runs the learner's function on hidden random cases in float64 (several shapes, batch 1
among them, n != m so that a missing transpose shows) and compares every returned array with the
package's reference: :func:`lstm_utils.reference._step` and :func:`~lstm_utils.reference.lstm_forward`
forwards, :func:`lstm_utils.backward.lstm_backward` backwards, :func:`lstm_utils.count_params` for the
counts. The feedback checks, in order: an exception (its type, message and the learner's own line), the
number of values returned, their shapes, arguments changed in place, and then the values; a wrong result
is compared with the reference under each classic mistake (the 23 other gate orders, the cell gradient
without the factor f, the path from dh into dc forgotten, tanh' written as 1 - tanh, ...), each computed
from the reference on the same case, and named if it matches. Every word is in ``labs.toml``.

The labs (``LABS``, in the order of notebooks/exercises/07_coding_labs.ipynb):

``lab-step-forward``     ``fn(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t)``
``lab-step-backward``    ``fn(x_t, h_prev, c_prev, W, U, b, dh_t, dc_t)``
                         ``-> (dx_t, dh_prev, dc_prev, dW, dU, db)``
``lab-bptt``             ``fn(x, h0, c0, W, U, b, d_outputs) -> (dx, dh0, dc0, dW, dU, db)``
``lab-forward-lengths``  ``fn(x, h0, c0, W, U, b, lengths) -> (outputs, h_n, c_n)``
``lab-count-params``     ``fn(n, m, framework) -> int``

Shapes: ``x_t`` (batch, n), ``x`` (batch, T, n), states (batch, m), ``W`` (4, m, n), ``U`` (4, m, m),
``b`` (4, m), the blocks in :data:`lstm_utils.gates.GATE_ORDER` (i, f, c, o), the layout of
:class:`~lstm_utils.reference.LSTMWeights`. ``dc_t`` of ``lab-step-backward`` is the gradient reaching
``c_t`` from the later steps only.
"""

from __future__ import annotations

import itertools
import numbers
import sysconfig
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np

from lstm_utils._validate import FRAMEWORKS, check_choice, check_int, format_shape
from lstm_utils.backward import _step_backward, lstm_backward
from lstm_utils.counting import count_params
from lstm_utils.exercises import text
from lstm_utils.exercises.exercise import count_traps
from lstm_utils.exercises.text import Feedback
from lstm_utils.gates import GATE_ORDER
from lstm_utils.reference import LSTMWeights, _step, lstm_forward

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

#: The exercise notebook of the labs; its labs are numbered 7.1, 7.2, ... in the order of :data:`LABS`.
NOTEBOOK = "07_coding_labs"
#: A returned array is right when ``np.allclose(given, expected, rtol=RTOL, atol=ATOL)`` (float64 cases).
RTOL, ATOL = 1e-6, 1e-9
_SEED = 20240607  # the hidden cases' seed (the default of Lab.cases)
_SYMBOLS = {"input": "i", "forget": "f", "candidate": "c", "output": "o"}  # notebook 01: block c, value g
#: Every order of the four blocks a learner may have read W, U and b in, the right one first.
ORDERS = tuple(itertools.permutations(GATE_ORDER))


# --- the cases and the references ------------------------------------------------------------------------

def _weights(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """W (4, m, n), U (4, m, m), b (4, m): large enough that every gate is away from 1/2."""
    return (rng.normal(0.0, 0.8, (4, m, n)), rng.normal(0.0, 0.6, (4, m, m)), rng.normal(0.0, 0.5, (4, m)))


def _step_cases(rng: np.random.Generator, backward: bool) -> list[tuple]:
    cases = []
    for batch, n, m in ((1, 3, 4), (2, 4, 3), (3, 2, 5), (4, 5, 2)):
        x, h, c = rng.normal(size=(batch, n)), rng.normal(0.0, 0.5, (batch, m)), rng.normal(size=(batch, m))
        case = (x, h, c, *_weights(rng, n, m))
        if backward:
            case += (rng.normal(size=(batch, m)), rng.normal(size=(batch, m)))   # dh_t, dc_t
        cases.append(case)
    return cases


def _sequence_cases(rng: np.random.Generator, lengths: bool) -> list[tuple]:
    cases = []
    for batch, steps, n, m, valid in ((1, 5, 3, 2, [3]), (3, 4, 2, 3, [4, 1, 2]), (2, 6, 4, 3, [6, 4])):
        x = rng.normal(size=(batch, steps, n))
        h0, c0 = rng.normal(0.0, 0.5, (batch, m)), rng.normal(size=(batch, m))
        case = (x, h0, c0, *_weights(rng, n, m))
        case += (np.array(valid, dtype=np.int64),) if lengths else (rng.normal(size=(batch, steps, m)),)
        cases.append(case)
    return cases


def _count_cases(rng: np.random.Generator) -> list[tuple]:
    frameworks = [*FRAMEWORKS, *rng.choice(FRAMEWORKS, 2)]
    drawn = [(int(rng.integers(1, 300)), int(rng.integers(1, 300)), str(fw)) for fw in frameworks]
    return [*drawn, (1, 1, "pytorch")]


def _step_forward_reference(x_t, h_prev, c_prev, W, U, b) -> tuple:
    h, c, _ = _step(x_t, h_prev, c_prev, LSTMWeights(W, U, b))
    return h, c


def _step_backward_reference(x_t, h_prev, c_prev, W, U, b, dh_t, dc_t) -> tuple:
    # one step is a sequence of length 1 whose final states receive dh_t and dc_t
    dw, dx, (dh_prev, dc_prev) = lstm_backward(x_t[:, None], LSTMWeights(W, U, b), None, h_prev, c_prev,
                                               d_h_n=dh_t, d_c_n=dc_t)
    return dx[:, 0], dh_prev, dc_prev, dw.W, dw.U, dw.b


def _bptt_reference(x, h0, c0, W, U, b, d_outputs) -> tuple:
    dw, dx, (dh0, dc0) = lstm_backward(x, LSTMWeights(W, U, b), d_outputs, h0, c0)
    return dx, dh0, dc0, dw.W, dw.U, dw.b


def _lengths_reference(x, h0, c0, W, U, b, lengths) -> tuple:
    outputs, (h_n, c_n) = lstm_forward(x, LSTMWeights(W, U, b), h0, c0, lengths=lengths)
    return outputs, h_n, c_n


def _count_reference(n, m, framework) -> tuple:
    return (count_params(n, m, framework=framework),)


# --- the classic mistakes: the reference under each, on the same case ------------------------------------

def _in_order(order: tuple[str, ...], W, U, b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The weights a learner effectively uses who reads block k as gate ``order[k]``: gate j of
    GATE_ORDER comes from block ``order.index(GATE_ORDER[j])``."""
    take = [order.index(gate) for gate in GATE_ORDER]
    return W[take], U[take], b[take]


def _order_name(order: tuple[str, ...]) -> str:
    return ", ".join(_SYMBOLS[gate] for gate in order)


def _gate_orders(reference: Callable, grads: bool = False) -> Callable:
    """The 23 wrong block orders of a lab whose arguments 3, 4, 5 are W, U, b; with ``grads``, its last
    three outputs (dW, dU, db) come back in the learner's block order."""
    def bugs(args):
        for order in ORDERS[1:]:
            out = reference(*args[:3], *_in_order(order, *args[3:6]), *args[6:])
            if grads:
                back = [GATE_ORDER.index(gate) for gate in order]       # learner's block k is gate order[k]
                out = (*out[:-3], *(d[back] for d in out[-3:]))
            yield "gate-order", {"order": _order_name(order)}, out
    return bugs


def _step_forward_bugs(args):
    x_t, h_prev, c_prev, W, U, b = args
    h, c = _step_forward_reference(*args)
    yield "swapped", {}, (c, h)
    _, _, gates = _step(x_t, h_prev, c_prev, LSTMWeights(W, U, b))
    # h_t = o_t * c_t, the tanh left out
    yield "no-tanh-c", {}, (gates["output"] * c, c)
    # g_t = sigmoid(z_c) = (1 + tanh(z_c / 2)) / 2, and z_c = arctanh(g_t)
    g = 0.5 * (1.0 + np.tanh(0.5 * np.arctanh(gates["candidate"])))
    c_bug = gates["forget"] * c_prev + gates["input"] * g
    yield "sigmoid-candidate", {}, (gates["output"] * np.tanh(c_bug), c_bug)
    yield from _gate_orders(_step_forward_reference)(args)


def _from_dz(dz: np.ndarray, dc_prev: np.ndarray, x_t, h_prev, W, U) -> tuple:
    """The six gradients of one step from its dz_t (batch, 4m) and dc_{t-1}: notebook 17's products."""
    m, n = W.shape[1], W.shape[2]
    # dx_t = W^T dz_t; dh_{t-1} = U^T dz_t                                (batch, n), (batch, m)
    dx, dh_prev = dz @ W.reshape(4 * m, n), dz @ U.reshape(4 * m, m)
    # dW = dz_t x_t^T; dU = dz_t h_{t-1}^T; db = dz_t, summed over the batch
    return (dx, dh_prev, dc_prev, (dz.T @ x_t).reshape(4, m, n), (dz.T @ h_prev).reshape(4, m, m),
            dz.sum(axis=0).reshape(4, m))


def _step_backward_bugs(args):
    x_t, h_prev, c_prev, W, U, b, dh, dc = args
    h, c, gates = _step(x_t, h_prev, c_prev, LSTMWeights(W, U, b))
    a = np.concatenate([gates[gate] for gate in GATE_ORDER], axis=1)   # (batch, 4m): i, f, g, o
    tanh_c, (f, g, o), m = np.tanh(c), (gates["forget"], gates["candidate"], gates["output"]), h.shape[1]

    def step(dh_in, dc_in):
        """The package's _step_backward: dz_t (batch, 4m) and dc_{t-1}."""
        dz = np.empty_like(a)
        return dz, _step_backward(dh_in, dc_in, a, c_prev, tanh_c, dz)

    dz, dc_prev = step(dh, dc)
    # dc_{t-1} = dc_t: the factor f_t left out
    yield "no-forget-factor", {}, _from_dz(dz, dc_prev / f, x_t, h_prev, W, U)
    # dc_t = dc_t(from t+1) alone: only dz_o still comes from dh_t (through do_t = dh_t tanh(c_t))
    dz_alone, dc_alone = step(np.zeros_like(dh), dc)
    dz_alone[:, 3 * m:] = dz[:, 3 * m:]
    yield "no-dh-into-dc", {}, _from_dz(dz_alone, dc_alone, x_t, h_prev, W, U)
    # dh_t o_t (1 - tanh(c_t)) in dc_t: the same as dc_t(from t+1) + dh_t o_t (tanh^2(c_t) - tanh(c_t)) more
    dz_c, dc_c = step(dh, dc + dh * o * (tanh_c ** 2 - tanh_c))
    yield "tanh-c-derivative", {}, _from_dz(dz_c, dc_c, x_t, h_prev, W, U)
    # dz_{c,t} = dg_t (1 - g_t) = dg_t (1 - g_t^2) / (1 + g_t)
    dz_g = dz.copy()
    dz_g[:, 2 * m: 3 * m] /= 1.0 + g
    yield "tanh-g-derivative", {}, _from_dz(dz_g, dc_prev, x_t, h_prev, W, U)
    dz_c[:, 2 * m: 3 * m] /= 1.0 + g
    yield "tanh-both", {}, _from_dz(dz_c, dc_c, x_t, h_prev, W, U)
    yield from _gate_orders(_step_backward_reference, grads=True)(args)


def _chained(args, *, recurrent_dh=True, carried_dc=True, every_output=True) -> tuple[tuple, list]:
    """BPTT as one-step passes of lu.lstm_backward chained from the last step to the first (notebook 17,
    section 4), optionally without one of its links; also each step's (dW_t, dU_t, db_t)."""
    x, h0, c0, W, U, b, d_out = args
    weights, steps = LSTMWeights(W, U, b), x.shape[1]
    _, _, kept = lstm_forward(x, weights, h0, c0, return_cache=True)
    dh = dc = np.zeros_like(h0)
    dx, parts = np.zeros_like(x), []
    for t in reversed(range(steps)):
        d_out_t = d_out[:, t:t + 1] if every_output or t == steps - 1 else None
        dw, dx_t, (dh_t, dc_t) = lstm_backward(x[:, t:t + 1], weights, d_out_t, kept.hs[t], kept.cs[t],
                                               d_h_n=dh if recurrent_dh else None,
                                               d_c_n=dc if carried_dc else None)
        dx[:, t], dh, dc = dx_t[:, 0], dh_t, dc_t
        parts.insert(0, (dw.W, dw.U, dw.b))
    total = tuple(sum(p[k] for p in parts) for k in range(3))
    return (dx, dh, dc, *total), parts


def _bptt_bugs(args):
    full, parts = _chained(args)
    for t, part in enumerate(parts, start=1):
        yield "weights-one-step", {"step": t, "steps": len(parts)}, (*full[:3], *part)
    yield "weights-average", {}, (*full[:3], *(d / len(parts) for d in full[3:]))
    yield "no-recurrent-dh", {}, _chained(args, recurrent_dh=False)[0]
    yield "no-carried-dc", {}, _chained(args, carried_dc=False)[0]
    yield "d-out-last-only", {}, _chained(args, every_output=False)[0]
    yield from _gate_orders(_bptt_reference, grads=True)(args)


def _lengths_bugs(args):
    x, h0, c0, W, U, b, lengths = args
    weights, steps, rows = LSTMWeights(W, U, b), x.shape[1], np.arange(x.shape[0])
    outputs, h_n, c_n = _lengths_reference(*args)
    run_on, (h_end, c_end), kept = lstm_forward(x, weights, h0, c0, return_cache=True)   # the padding run too
    yield "no-lengths", {}, (run_on, h_end, c_end)
    yield "states-after-padding", {}, (outputs, h_end, c_end)
    padded = np.arange(steps)[None, :] >= lengths[:, None]                 # (batch, T)
    yield "outputs-not-zeroed", {}, (np.where(padded[..., None], h_n[:, None], outputs), h_n, c_n)
    for side, shift in (("-", -1), ("+", 1)):            # kept.hs[t] is h_t, kept.hs[0] is h_0
        at = np.clip(lengths + shift, 0, steps)
        yield "off-by-one", {"side": side}, (outputs, kept.hs[at, rows], kept.cs[at, rows])
    yield from _gate_orders(_lengths_reference)(args)


# --- what a lab is ---------------------------------------------------------------------------------------

def _step_sizes(args) -> str:
    return f"batch={args[0].shape[0]}, n={args[0].shape[1]}, m={args[1].shape[1]}"


def _sequence_sizes(args) -> str:
    batch, steps, n = args[0].shape
    extra = f", lengths={args[6].tolist()}" if args[6].ndim == 1 else ""
    return f"batch={batch}, T={steps}, n={n}, m={args[1].shape[1]}{extra}"


def _count_sizes(args) -> str:
    return "fn({}, {}, {!r})".format(*args)


@dataclass(frozen=True, kw_only=True)
class Lab:
    """One coding lab: what the learner writes (``signature``, ``outputs``), its hidden ``cases`` and the
    package's ``reference``; the words (``title``, ``question``, ``see``, ``hints``, the ``messages`` of
    its classic mistakes) come from ``labs.toml`` in the chosen language.

    ``bugs`` maps each classic mistake's message key to the placeholders its variants pass.
    """

    id: str
    topic: str
    difficulty: str
    minutes: int
    signature: str
    outputs: tuple[str, ...]
    make_cases: Callable[[np.random.Generator], list[tuple]] = field(repr=False)
    compute: Callable[..., tuple] = field(repr=False)
    variants: Callable[[tuple], object] | None = field(default=None, repr=False)
    describe: Callable[[tuple], str] = field(default=_step_sizes, repr=False)
    bugs: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    reference_name: str = ""
    # set from labs.toml
    number: str = ""
    notebook: str = NOTEBOOK
    language: str = text.ENGLISH
    title: str = ""
    question: str = ""
    see: tuple[tuple[str, str], ...] = ()
    hints: tuple[str, ...] = field(default=(), repr=False)
    messages: Mapping[str, str] = field(default_factory=dict, repr=False)

    def cases(self, seed: int = _SEED) -> list[tuple]:
        """The hidden argument tuples, arrays in float64 (``lengths`` int64), new arrays at each call."""
        return self.make_cases(np.random.default_rng(check_int("seed", seed, minimum=0)))

    def reference(self, *args) -> tuple:
        """The package's outputs for one case, in the order of :attr:`outputs`."""
        return tuple(self.compute(*args))

    @property
    def markdown(self) -> str:
        """The lab's markdown cell in its notebook: number, title, difficulty, minutes, id, question."""
        return text.exercise_markdown(self)

    @property
    def hint(self) -> str:
        """Where to read again: "see 17_backprop_through_time, section '...'"."""
        return text.hint(self.see, self.language)


_STEP_GRADS = ("dx_t", "dh_prev", "dc_prev", "dW", "dU", "db")
_GATE_ORDER_BUG = {"gate-order": ("order",)}
_DEFINED = (
    Lab(id="lab-step-forward", topic="forward pass", difficulty="medium", minutes=10,
        signature="fn(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t)", outputs=("h_t", "c_t"),
        make_cases=lambda rng: _step_cases(rng, backward=False), compute=_step_forward_reference,
        variants=_step_forward_bugs, reference_name="lu.lstm_step",
        bugs={**_GATE_ORDER_BUG, "swapped": (), "no-tanh-c": (), "sigmoid-candidate": ()}),
    Lab(id="lab-step-backward", topic="backpropagation through time", difficulty="hard", minutes=20,
        signature="fn(x_t, h_prev, c_prev, W, U, b, dh_t, dc_t) -> (dx_t, dh_prev, dc_prev, dW, dU, db)",
        outputs=_STEP_GRADS, make_cases=lambda rng: _step_cases(rng, backward=True),
        compute=_step_backward_reference, variants=_step_backward_bugs, reference_name="lu.lstm_backward",
        bugs={**_GATE_ORDER_BUG, "no-forget-factor": (), "no-dh-into-dc": (), "tanh-c-derivative": (),
              "tanh-g-derivative": (), "tanh-both": ()}),
    Lab(id="lab-bptt", topic="backpropagation through time", difficulty="hard", minutes=15,
        signature="fn(x, h0, c0, W, U, b, d_outputs) -> (dx, dh0, dc0, dW, dU, db)",
        outputs=("dx", "dh0", "dc0", "dW", "dU", "db"), make_cases=lambda rng: _sequence_cases(rng, False),
        compute=_bptt_reference, variants=_bptt_bugs, describe=_sequence_sizes,
        reference_name="lu.lstm_backward",
        bugs={**_GATE_ORDER_BUG, "weights-one-step": ("step", "steps"), "weights-average": (),
              "no-recurrent-dh": (), "no-carried-dc": (), "d-out-last-only": ()}),
    Lab(id="lab-forward-lengths", topic="masking", difficulty="medium", minutes=15,
        signature="fn(x, h0, c0, W, U, b, lengths) -> (outputs, h_n, c_n)", outputs=("outputs", "h_n", "c_n"),
        make_cases=lambda rng: _sequence_cases(rng, True), compute=_lengths_reference,
        variants=_lengths_bugs, describe=_sequence_sizes, reference_name="lu.lstm_forward(..., lengths=...)",
        bugs={**_GATE_ORDER_BUG, "no-lengths": (), "states-after-padding": (), "outputs-not-zeroed": (),
              "off-by-one": ("side",)}),
    Lab(id="lab-count-params", topic="counting", difficulty="easy", minutes=5,
        signature="fn(n, m, framework) -> int", outputs=("count",), make_cases=_count_cases,
        compute=_count_reference, describe=_count_sizes, reference_name="lu.count_params"),
)


@cache
def _labs(language: str) -> dict[str, Lab]:
    """The labs with their words in ``language``, numbered "7.1", "7.2", ... by id.

    Raises
    ------
    ValueError
        labs.toml's labs are not these, in this order, or a lab's bug messages are not its bugs'.
    """
    words = text.load("labs", language)["labs"]
    if list(words) != [lab.id for lab in _DEFINED]:
        raise ValueError(f"labs.toml: its labs {list(words)} must be labs.py's, in its order: "
                         f"{[lab.id for lab in _DEFINED]}.")
    labs = {}
    for k, lab in enumerate(_DEFINED, start=1):
        said = words[lab.id]
        if set(said["bugs"]) != set(lab.bugs):
            raise ValueError(f"labs.toml: lab {lab.id!r}: bugs {sorted(said['bugs'])} must be the ones its "
                             f"code recognises: {sorted(lab.bugs)}.")
        for key, message in said["bugs"].items():
            text.check_placeholders(f"labs.toml: lab {lab.id!r}: bugs.{key}", message, lab.bugs[key])
        labs[lab.id] = replace(lab, number=f"{NOTEBOOK[:2].lstrip('0')}.{k}", language=language,
                               title=said["title"], question=said["question"], see=said["see"],
                               hints=said["hints"], messages=said["bugs"])
    return labs


#: The coding labs in notebook order, by id, with their English words.
LABS: dict[str, Lab] = _labs(text.ENGLISH)


def get_lab(lab_id: str) -> Lab:
    """The :class:`Lab` with this id in the current language; an unknown id raises ``ValueError``
    naming it, the closest id and all ids (a mistake in the notebook, not in the learner's answer)."""
    labs = _labs(text.LANGUAGE[0])
    return labs[check_choice("exercise_id", lab_id, labs)]


# --- running the learner's function on one case -----------------------------------------------------------

class _Verdict(Exception):
    """The outcome of one case that is not "right": ``ok`` (False, or None: not answered) and a message."""

    def __init__(self, ok: bool | None, message: str) -> None:
        super().__init__(message)
        self.ok, self.message = ok, message


_OURS = (Path(__file__).resolve().parents[1], Path(np.__file__).resolve().parent,
         Path(sysconfig.get_paths()["stdlib"]).resolve())


def _learner_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The deepest frame of the traceback that is the learner's (not NumPy's, the package's or Python's)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not any(Path(f.filename).resolve().is_relative_to(root) for root in _OURS)]
    return frames[-1] if frames else None


def _close(given: np.ndarray, expected: np.ndarray) -> bool:
    return given.shape == expected.shape and bool(np.allclose(given, expected, rtol=RTOL, atol=ATOL))


class _Run:
    """One lab checked in one language: the words, and the learner's function run on one case."""

    def __init__(self, lab: Lab) -> None:
        self.lab, self.says = lab, text.load("labs", lab.language)["check"]

    def say(self, key: str, **params) -> str:
        return text.render(self.says[key], params)

    def case(self, fn: Callable, number: int, cases: int, args: tuple) -> None:
        """Run ``fn`` on one case; raise :class:`_Verdict` unless every output is right."""
        lab = self.lab
        where = {"case": number, "cases": cases, "sizes": lab.describe(args)}
        copies = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
        try:
            result = fn(*copies)
        except NotImplementedError:
            raise _Verdict(None, self.say("not-answered")) from None
        except Exception as exc:                                # the learner's error, shown, never raised
            frame = _learner_frame(exc)
            code = (frame.line or "").strip() if frame else ""
            at = ("" if frame is None else self.say("raised-where", function=frame.name, line=frame.lineno,
                                                    code=code) if code
                  else self.say("raised-at", function=frame.name, line=frame.lineno))
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise _Verdict(False, self.say("raised", error=error, where=at, **where)) from None
        if result is None:                                      # a body without its return line
            raise _Verdict(False, self.say("returned-none", outputs=", ".join(lab.outputs)))
        expected = lab.reference(*args)
        if lab.id == "lab-count-params":
            self.count(result, expected[0], args)
            return
        given = self.arrays(result)
        for name, g, e in zip(lab.outputs, given, expected, strict=True):
            if g.shape != e.shape:
                raise _Verdict(False, self.say("shape", name=name, shape=format_shape(g.shape),
                                               expected=format_shape(e.shape), **where))
        for name, original, passed in zip(_argument_names(lab), args, copies, strict=True):
            if isinstance(original, np.ndarray) and not np.array_equal(original, passed):
                raise _Verdict(False, self.say("mutated", name=name, case=number, cases=cases))
        if all(_close(g, e) for g, e in zip(given, expected, strict=True)):
            return
        for key, params, variant in (lab.variants(args) if lab.variants else ()):
            if all(_close(g, np.asarray(v)) for g, v in zip(given, variant, strict=True)):
                bug = text.render(lab.messages[key], params)
                raise _Verdict(False, self.say("bug", bug=bug, **where) + self.next())
        name, g, e = next((n, g, e) for n, g, e in zip(lab.outputs, given, expected, strict=True)
                          if not _close(g, e))
        error = np.abs(g - e)
        error = np.where(np.isnan(error), np.inf, error)        # a NaN is the largest error there is
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
        message = self.say("wrong", name=name, error=float(error.max()), index=index, **where)
        if g.dtype != np.float64:
            message += self.say("float32", name=name, dtype=g.dtype.name)
        raise _Verdict(False, message + self.next())

    def arrays(self, result: object) -> list[np.ndarray]:
        """The returned values as arrays, or a verdict on their number or type."""
        count = len(self.lab.outputs)
        if not isinstance(result, (tuple, list)) or len(result) != count:
            raise _Verdict(False, self.say("returned-count", got=self.shown(result), count=count,
                                           outputs=", ".join(self.lab.outputs)))
        arrays = []
        for name, value in zip(self.lab.outputs, result, strict=True):
            try:
                array = np.asarray(value)
            except Exception:                                   # ragged lists and other oddities
                array = np.asarray(None, dtype=object)
            if array.dtype.kind not in "fiu" or array.dtype.kind == "b":
                raise _Verdict(False, self.say("not-array", name=name, got=self.shown(value)))
            arrays.append(array)
        return arrays

    def count(self, result: object, expected: int, args: tuple) -> None:
        """The count lab: a whole number, the right one, or a named trap."""
        case = _count_sizes(args)
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            raise _Verdict(False, self.say("not-int", got=self.shown(result), case=case))
        if int(result) == expected:
            return
        n, m, framework = args
        traps = text.load("common", self.lab.language)["traps"]
        why = count_traps(n, m, framework)().get(int(result))
        if why is not None:
            message = self.say("count-trap", case=case, got=int(result), why=traps[why])
            raise _Verdict(False, message + self.next())
        raise _Verdict(False, self.say("count-wrong", case=case, got=int(result)) + self.next())

    def shown(self, value: object) -> str:
        """What a returned value is, in a few words: "a tuple of 1 value(s)", "3 (int)", "a str"."""
        kind = type(value).__name__
        if isinstance(value, (tuple, list)):
            return self.say("got-sequence", kind=kind, count=len(value))
        if isinstance(value, np.ndarray):
            return self.say("got-array", shape=format_shape(value.shape))
        if isinstance(value, (numbers.Number, str)) and len(repr(value)) < 40:
            return self.say("got-value", value=repr(value), kind=kind)
        return self.say("got-object", kind=kind)

    def next(self) -> str:
        return self.say("next", see=self.lab.hint, id=self.lab.id)


def _argument_names(lab: Lab) -> list[str]:
    """The argument names of the lab's signature: "fn(x_t, h_prev, ...) -> ..." -> ["x_t", "h_prev", ...]."""
    inside = lab.signature[lab.signature.index("(") + 1: lab.signature.index(")")]
    return [name.strip() for name in inside.split(",")]


def _unanswered(fn: object) -> bool:
    return fn is None or fn is Ellipsis


# --- public functions -------------------------------------------------------------------------------------

def check_lab(exercise_id: str, answer: object) -> Feedback:
    """Feedback on a lab's function: correct (every hidden case), not quite (the first failing case, with
    what went wrong), or not answered yet (None, ``...``, or a body that raises NotImplementedError or
    returns None). Never raises on the function; an unknown ``exercise_id`` raises ``ValueError``.

    Examples
    --------
    >>> check_lab("lab-count-params", lambda n, m, framework: 4 * (m * n + m * m + m)).ok
    False
    >>> check_lab("lab-step-forward", None).status
    'not answered yet'
    """
    lab = get_lab(exercise_id)
    run = _Run(lab)
    if _unanswered(answer):
        return Feedback(lab.id, None, run.say("not-answered"), lab.language)
    if not callable(answer):
        said = run.say("not-callable", signature=lab.signature, got=run.shown(answer))
        return Feedback(lab.id, False, said, lab.language)
    cases = lab.cases()
    for number, args in enumerate(cases, start=1):
        try:
            run.case(answer, number, len(cases), args)
        except _Verdict as verdict:
            return Feedback(lab.id, verdict.ok, verdict.message, lab.language)
    said = run.say("right", cases=len(cases), reference=lab.reference_name)
    return Feedback(lab.id, True, said, lab.language)


def grade(lab_id: str, fn: object) -> tuple[int, int]:
    """(hidden cases passed, hidden cases in all) of a lab's function: for grading a class's work.

    Examples
    --------
    >>> grade("lab-count-params", None)
    (0, 7)
    """
    lab = get_lab(lab_id)
    cases = lab.cases()
    if _unanswered(fn) or not callable(fn):
        return 0, len(cases)
    run, passed = _Run(lab), 0
    for number, args in enumerate(cases, start=1):
        try:
            run.case(fn, number, len(cases), args)
        except _Verdict:
            continue
        passed += 1
    return passed, len(cases)


class Hint(str):
    """A hint: shows as its text, without quotes (as plain text: hints quote code, not markdown)."""

    def __repr__(self) -> str:
        return str(self)


def hint(lab_id: str, level: int = 0) -> Hint:
    """The hints of a lab up to ``level`` (1, 2, ...), each more detailed than the one before, the last
    nearly the code; level 0 says how many there are.

    Raises
    ------
    ValueError
        An unknown ``lab_id``, or a ``level`` outside 0..(number of hints), naming it and the range.

    Examples
    --------
    >>> print(hint("lab-count-params"))  # doctest: +ELLIPSIS
    3 hints, each more detailed than the one before: ...
    >>> print(hint("lab-count-params", 1))  # doctest: +ELLIPSIS
    Hint 1 of 3: four blocks, ...
    """
    lab = get_lab(lab_id)
    run, count = _Run(lab), len(lab.hints)
    level = check_int("level", level, minimum=0)
    if level > count:
        raise ValueError(f"level == {level}, must be in 0..{count}: lab {lab.id!r} has {count} hints.")
    if level == 0:
        return Hint(run.say("hint-levels", count=count))
    return Hint("\n\n".join(run.say("hint", level=k, count=count, text=lab.hints[k - 1])
                            for k in range(1, level + 1)))
