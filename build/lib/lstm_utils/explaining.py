"""Explain a Keras or PyTorch model's parameter count: one row per layer, its formula and its check.

``explain(model)`` walks a built Keras model (or one Keras layer) or a PyTorch module, reads each
layer's own parameter count from the framework, and, for the layer types the course covers, writes the
formula with the layer's numbers plugged in. The formula's result comes from this package
(:func:`lstm_utils.count_params` / :func:`lstm_utils.param_table` for recurrent layers, three one-line
products for Dense/Linear/Embedding), never from the framework, so each row can say whether the two
agree.

Covered: Keras ``LSTM``, ``GRU`` (both ``reset_after``), ``SimpleRNN``, ``Bidirectional`` (any merge mode,
also with a different backward layer), ``Dense``, ``Embedding``; PyTorch ``nn.LSTM`` (stacked,
bidirectional, ``proj_size``, ``bias=False``), ``nn.GRU``, ``nn.RNN``, ``nn.LSTMCell``, ``nn.GRUCell``,
``nn.RNNCell``, ``nn.Linear``, ``nn.Embedding``. Any other layer with parameters gets a row with the
framework's count and "no formula in this course".

Keras and PyTorch are imported only inside functions, and only when the model given is one of theirs,
so ``import lstm_utils`` stays free of frameworks.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from math import prod

from lstm_utils._table import Column, html_table, text_table
from lstm_utils.counting import count_params, param_table
from lstm_utils.frameworks import REGISTRY, get, resolve
from lstm_utils.gates import GATE_BLOCKS

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

#: The formula column of a layer type the course does not cover.
NO_FORMULA = "no formula in this course"

_TORCH_RECURRENT = {"LSTM": "lstm", "GRU": "gru", "RNN": "rnn"}
_TORCH_CELLS = {"LSTMCell": "lstm", "GRUCell": "gru", "RNNCell": "rnn"}


@dataclass(frozen=True)
class LayerExplanation:
    """One layer (Keras) or module (PyTorch) that owns parameters.

    ``count`` is the framework's own count of this layer's parameters; ``derived`` is the result of
    the course's formula (``None`` when the course has none); ``frozen`` counts the parameters the
    optimizer does not update (Keras non-trainable weights, PyTorch ``requires_grad=False``);
    ``shared`` counts parameters already listed in an earlier row (counted once in the total).
    """

    name: str
    type: str
    count: int
    derived: int | None = None
    formula: str = NO_FORMULA
    frozen: int = 0
    shared: int = 0
    note: str = ""

    @property
    def covered(self) -> bool:
        """True when the course has a formula for this layer type."""
        return self.derived is not None

    @property
    def agrees(self) -> bool | None:
        """True/False: formula equals the framework's count; None: no formula in this course."""
        return None if self.derived is None else self.derived == self.count

    def as_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "count": self.count, "derived": self.derived,
                "formula": self.formula, "agrees": self.agrees, "frozen": self.frozen,
                "shared": self.shared, "note": self.note}


class Explanation:
    """The rows of :func:`explain` and their total; prints as text, renders as HTML in a notebook."""

    columns = ("layer", "type", "parameters", "frozen", "check", "derivation")

    def __init__(self, framework: str, model: str, rows: list[LayerExplanation], frozen: int):
        self.framework = framework
        self.model = model
        self.rows = tuple(rows)
        self.frozen = frozen

    def __iter__(self) -> Iterator[LayerExplanation]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def total(self) -> int:
        """All parameters, shared ones counted once: what the framework reports for the model."""
        return sum(row.count - row.shared for row in self.rows)

    @property
    def trainable(self) -> int:
        return self.total - self.frozen

    @property
    def covered(self) -> bool:
        """True when every row has a formula."""
        return all(row.covered for row in self.rows)

    @property
    def agrees(self) -> bool:
        """True when every row that has a formula agrees with the framework."""
        return all(row.agrees is not False for row in self.rows)

    @property
    def derived_total(self) -> int | None:
        """The total from the formulas alone (shared parameters once), or None if a row has none."""
        if not self.covered:
            return None
        return sum(row.derived - row.shared for row in self.rows)

    def to_dicts(self) -> list[dict]:
        return [row.as_dict() for row in self.rows]

    def _cells(self) -> list[tuple[str, ...]]:
        check = {True: "ok", False: "DIFFERS", None: "-"}
        return [(r.name, r.type, f"{r.count:,}", f"{r.frozen:,}" if r.frozen else "-",
                 check[r.agrees], r.formula) for r in self.rows]

    def _footer(self) -> list[str]:
        frozen = f", {self.frozen:,} of them frozen" if self.frozen else ""
        lines = [f"total: {self.total:,} parameters{frozen} "
                 f"(as {get(self.framework).total_source} counts them)"]
        n_rows = len(self.rows)
        with_formula = sum(row.covered for row in self.rows)
        differ = sum(row.agrees is False for row in self.rows)
        words = f"{with_formula} of {n_rows} {'layer' if n_rows == 1 else 'layers'} derived by a formula"
        if with_formula:
            words += ", all agree" if not differ else f", {differ} DIFFER from the framework"
        if self.derived_total is not None:
            words += f"; derived total {self.derived_total:,}"
        lines.append(words)
        return lines

    def __str__(self) -> str:
        columns = [Column(name, right=name in ("parameters", "frozen")) for name in self.columns]
        return text_table(columns, self._cells(), title=self.model, footer=self._footer(),
                          notes=[row.note for row in self.rows])

    def __repr__(self) -> str:
        layers = "1 layer" if len(self.rows) == 1 else f"{len(self.rows)} layers"
        return f"<Explanation of {self.model}: {layers}, {self.total:,} parameters>"

    def _repr_html_(self) -> str:
        columns = [Column(name, head_style=align, style=align) for name, align in zip(
            (*self.columns, "note"), (*("text-align:" + a for a in ("left", "left", "right", "right")),
                                      *("text-align:left",) * 3), strict=True)]  # numbers to the right
        rows = [(*c, r.note) for r, c in zip(self.rows, self._cells(), strict=True)]
        foot = "<br>".join(html.escape(x) for x in self._footer())
        return html_table(columns, rows, caption=self.model, caption_style="text-align:left",
                          foot=f"<tr><td colspan='7' style='text-align:left'>{foot}</td></tr>")


# --- writing formulas ----------------------------------------------------------------------------

def _has_top_level_plus(expr: str) -> bool:
    depth = 0
    for ch in expr:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "+" and depth == 0:
            return True
    return False


def _times(k: int, expr: str) -> str:
    """``k x expr``, with brackets when expr is a sum."""
    if k == 1:
        return expr
    return f"{k} x ({expr})" if _has_top_level_plus(expr) else f"{k} x {expr}"


def _gate_term(cell: str, n: int, m: int, *, r: int | None = None, biases: int = 1,
               proj: int = 0) -> str:
    """One direction of one layer: G x (m x (n + r) + biases x m) [+ proj x m].

    G is the number of gate blocks (4 LSTM, 3 GRU, 1 simple RNN), r the size of the recurrent input
    (m, or proj_size in a projected PyTorch LSTM), ``biases`` the bias vectors per gate block
    (Keras 1, Keras GRU with reset_after 2, PyTorch 2, none without bias).
    """
    inner = f"{m:,} x ({n:,} + {(r or m):,})"
    if biases == 1:
        inner += f" + {m:,}"
    elif biases == 2:
        inner += f" + 2 x {m:,}"
    term = inner if GATE_BLOCKS[cell] == 1 else f"{GATE_BLOCKS[cell]} x ({inner})"
    if proj:
        term += f" + {proj:,} x {m:,}"
    return term


# --- Keras ---------------------------------------------------------------------------------------

def _keras_input_features(layer) -> tuple[int | None, str]:
    """(n, note): the features the layer was built on, from its build config (set for a single layer,
    a Sequential or functional model, and a loaded ``.keras`` file), else from ``layer.input``."""
    config = layer.get_build_config() or {}
    shape = config.get("input_shape")
    if shape is None and "shapes_dict" in config:  # e.g. an RNN built with an initial state too
        shapes = config["shapes_dict"]
        shape = shapes.get("sequences_shape", next(iter(shapes.values()), None))
    if shape is None:
        try:
            shape = tuple(layer.input.shape)
        except (AttributeError, ValueError):
            shape = None
    if shape and shape[-1] is not None:
        return int(shape[-1]), ""
    # Last resort, for a layer built without a recorded input shape: the kernel's first axis is n
    # (Dense kernel (n, units), recurrent kernel (n, G * units)). The units still come from the config.
    owner = getattr(layer, "forward_layer", layer)
    kernel = getattr(getattr(owner, "cell", owner), "kernel", None)
    if kernel is None:
        return None, ""
    return int(kernel.shape[0]), "input features read from the kernel's shape (no input shape recorded)"


def _keras_cell(layer) -> str | None:
    import keras

    for cls, cell in ((keras.layers.LSTM, "lstm"), (keras.layers.GRU, "gru"),
                      (keras.layers.SimpleRNN, "rnn")):
        if isinstance(layer, cls):
            return cell
    return None


def _keras_rnn_parts(layer, n: int) -> tuple[str, str, int] | None:
    """(label, one-direction formula term, count from count_params) of a Keras recurrent layer."""
    cell = _keras_cell(layer)
    if cell is None:
        return None
    m, bias = layer.units, layer.use_bias
    reset_after = layer.reset_after if cell == "gru" else True
    options = ("" if bias else ", use_bias=False") + ("" if reset_after else ", reset_after=False")
    label = f"{type(layer).__name__}({m}{options})"
    biases = 0 if not bias else (2 if cell == "gru" and reset_after else 1)
    derived = count_params(n, m, cell=cell, framework="keras", bias=bias, reset_after=reset_after)
    return label, _gate_term(cell, n, m, biases=biases), derived


def _keras_formula(layer) -> tuple[int | None, str, str]:
    """(derived count, formula, note) of one Keras layer."""
    import keras

    if isinstance(layer, keras.layers.Embedding):
        v, d = layer.input_dim, layer.output_dim
        return v * d, f"Embedding({v}, {d}): {v:,} x {d:,} = {v * d:,}", ""
    dense = isinstance(layer, keras.layers.Dense)
    bidirectional = isinstance(layer, keras.layers.Bidirectional)
    if not (dense or bidirectional or _keras_cell(layer)):
        return None, NO_FORMULA, ""
    n, source = _keras_input_features(layer)
    if n is None:
        return None, NO_FORMULA + " (its input size is not recorded)", ""
    if dense:
        m = layer.units
        derived = n * m + (m if layer.use_bias else 0)
        expr = f"{n:,} x {m:,}" + (f" + {m:,}" if layer.use_bias else "")
        options = "" if layer.use_bias else ", use_bias=False"
        return derived, f"Dense({m}{options}) on {n:,} features: {expr} = {derived:,}", source
    if bidirectional:
        derived, formula, note = _keras_bidirectional(layer, n)
        return derived, formula, "; ".join(filter(None, [note, source]))
    label, term, derived = _keras_rnn_parts(layer, n)
    return derived, f"{label} on {n:,} features: {term} = {derived:,}", source


def _keras_bidirectional(layer, n: int) -> tuple[int | None, str, str]:
    fwd = _keras_rnn_parts(layer.forward_layer, n)
    bwd = _keras_rnn_parts(layer.backward_layer, n)
    mode = layer.merge_mode
    if fwd is None or bwd is None:
        return None, NO_FORMULA + " (wrapped layer not covered)", ""
    m_f, m_b = layer.forward_layer.units, layer.backward_layer.units
    if mode == "concat":
        note = f"merge_mode='concat': the next layer sees {m_f:,} + {m_b:,} = {m_f + m_b:,} features"
    elif mode is None:
        note = "merge_mode=None: two outputs, one per direction"
    else:  # sum, mul, ave: same parameters, but the two outputs are combined element by element
        note = f"merge_mode={mode!r}: the next layer sees {m_f:,} features, not {m_f + m_b:,}"
    if m_f != m_b:  # Bidirectional.compute_output_shape uses the forward layer's shape for both
        note += (f"; the directions have different units ({m_f:,} and {m_b:,}), but Keras works out "
                 f"the output shape from the forward layer alone")
    if fwd[0] == bwd[0]:  # the usual case: a copy of the same layer runs backwards
        cell = _keras_cell(layer.forward_layer)
        f = layer.forward_layer
        derived = count_params(n, f.units, cell=cell, framework="keras", bidirectional=True,
                               bias=f.use_bias, reset_after=getattr(f, "reset_after", True))
        formula = (f"Bidirectional({fwd[0]}, merge_mode={mode!r}) on {n:,} features: "
                   f"{_times(2, fwd[1])} = {derived:,}")
        return derived, formula, note
    derived = fwd[2] + bwd[2]
    formula = (f"Bidirectional(forward {fwd[0]}, backward {bwd[0]}, merge_mode={mode!r}) on {n:,} "
               f"features: forward: {fwd[1]} = {fwd[2]:,}, backward: {bwd[1]} = {bwd[2]:,}; "
               f"total: {fwd[2]:,} + {bwd[2]:,} = {derived:,}")
    return derived, formula, note


def _keras_leaves(model, prefix: str = "") -> Iterator[tuple[str, object]]:
    """(name, layer) for each layer, in model order; nested models are opened, names joined by '/'."""
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _keras_leaves(layer, f"{prefix}{layer.name}/")
        else:
            yield f"{prefix}{layer.name}", layer


def _explain_keras(model) -> Explanation:
    import keras

    kind = "model" if isinstance(model, keras.Model) else "layer"
    if not model.built:
        raise ValueError(
            f"model is a Keras {type(model).__name__} {model.name!r} that is not built yet: Keras "
            "creates the weights only once it knows the input shape, so there is nothing to count. "
            f"Build it first: {kind}.build((None, time_steps, features)), or start the model with "
            "keras.Input(shape=(time_steps, features)), or call it once on a batch of data."
        )
    layers = list(_keras_leaves(model)) if kind == "model" else [(model.name, model)]
    rows, seen, frozen_ids = [], {}, set()
    for name, layer in layers:
        if not layer.weights:
            continue
        rows.append(_keras_row(name, layer, seen, frozen_ids))
    leftover = [w for w in model.weights if id(w) not in seen]
    if leftover:  # weights a subclassed model created itself, outside any layer
        rows.append(LayerExplanation(model.name, type(model).__name__,
                                     sum(prod(w.shape) for w in leftover),
                                     frozen=sum(prod(w.shape) for w in leftover if not w.trainable),
                                     note="weights the model owns directly, outside its layers"))
        frozen_ids |= {id(w) for w in leftover if not w.trainable}
    frozen = sum(prod(w.shape) for w in model.weights if id(w) in frozen_ids)
    return Explanation("keras", f"Keras {type(model).__name__} {model.name!r}", rows, frozen)


def _keras_row(name: str, layer, seen: dict, frozen_ids: set) -> LayerExplanation:
    try:
        derived, formula, note = _keras_formula(layer)
    except (AttributeError, TypeError, ValueError) as exc:  # settings the course cannot read
        derived, formula, note = None, f"{NO_FORMULA} (could not read its settings: {exc})", ""
    shared = [w for w in layer.weights if id(w) in seen]
    if shared:
        owners = sorted({seen[id(w)] for w in shared})
        note = "; ".join(filter(None, [note, f"shares {sum(prod(w.shape) for w in shared):,} "
                                              f"parameters with {', '.join(owners)} (counted once)"]))
    for w in layer.weights:
        seen.setdefault(id(w), name)
    frozen_ids |= {id(w) for w in layer.non_trainable_weights}
    return LayerExplanation(name, type(layer).__name__, layer.count_params(), derived, formula,
                            frozen=sum(prod(w.shape) for w in layer.non_trainable_weights),
                            shared=sum(prod(w.shape) for w in shared), note=note)


# --- PyTorch -------------------------------------------------------------------------------------

def _torch_kind(module) -> tuple[str, str]:
    """(kind, type shown) of a module; kind is a class name of torch.nn the course covers, or ''.

    A TorchScript module keeps its original class name in ``original_name``.
    """
    import torch

    covered = (*_TORCH_RECURRENT, *_TORCH_CELLS, "Linear", "Embedding")
    if isinstance(module, torch.jit.ScriptModule):
        name = getattr(module, "original_name", type(module).__name__)
        # The compiled type's name tells torch.nn's classes from a user's class of the same name,
        # e.g. "__torch__.torch.nn.modules.rnn.LSTM"; if it cannot be read, trust the name.
        qualified = getattr(getattr(module, "_c", None), "qualified_name", "")
        from_nn = qualified.startswith("__torch__.torch.nn.") if qualified else name in covered
        if from_nn:
            return (name if name in covered else ""), f"nn.{name}"
        return "", name
    for name in covered:
        if isinstance(module, getattr(torch.nn, name)):
            return name, f"nn.{type(module).__name__}"
    cls = type(module)
    shown = f"nn.{cls.__name__}" if cls.__module__.startswith("torch.nn.") else cls.__name__
    return "", shown


def _torch_recurrent(module, kind: str) -> tuple[int, str]:
    cell = _TORCH_RECURRENT[kind]
    n, m, k = module.input_size, module.hidden_size, module.num_layers
    bias, bidirectional = bool(module.bias), bool(module.bidirectional)
    proj = getattr(module, "proj_size", 0) or 0
    args = [str(n), str(m)] + [f"{key}={value}" for key, value, default in (
        ("num_layers", k, 1), ("bias", bias, True), ("bidirectional", bidirectional, False),
        ("proj_size", proj, 0)) if value != default]
    head = f"nn.{kind}({', '.join(args)})"
    table = param_table(n, m, cell=cell, framework="pytorch", num_layers=k,
                        bidirectional=bidirectional, bias=bias, proj_size=proj)
    per_layer = [sum(r.count for r in table if r.layer == i) for i in range(k)]
    dirs = 2 if bidirectional else 1
    out = proj or m
    groups = [(0, 0, n)] + ([(1, k - 1, out * dirs)] if k > 1 else [])
    parts, values = [], []
    for first, last, n_in in groups:
        term = _times(dirs, _gate_term(cell, n_in, m, r=proj or m, biases=2 if bias else 0,
                                       proj=proj))
        term = _times(last - first + 1, term)
        value = sum(per_layer[first:last + 1])
        label = f"layer {first}" if first == last else f"layers {first}-{last}"
        parts.append((label, term, value))
        values.append(value)
    if len(parts) == 1:
        return table.total, f"{head}: {parts[0][1]} = {table.total:,}"
    body = ", ".join(f"{label}: {term} = {value:,}" for label, term, value in parts)
    total = " + ".join(f"{v:,}" for v in values)
    return table.total, f"{head}: {body}; total: {total} = {table.total:,}"


def _torch_formula(module, kind: str) -> tuple[int | None, str]:
    if kind in _TORCH_RECURRENT:
        return _torch_recurrent(module, kind)
    if kind in _TORCH_CELLS:
        cell, n, m, bias = _TORCH_CELLS[kind], module.input_size, module.hidden_size, bool(module.bias)
        derived = count_params(n, m, cell=cell, framework="pytorch", bias=bias)
        options = "" if bias else ", bias=False"
        term = _gate_term(cell, n, m, biases=2 if bias else 0)
        return derived, f"nn.{kind}({n}, {m}{options}): {term} = {derived:,}"
    if kind == "Linear":
        n, m, bias = module.in_features, module.out_features, module.bias is not None
        derived = n * m + (m if bias else 0)
        expr = f"{n:,} x {m:,}" + (f" + {m:,}" if bias else "")
        return derived, f"nn.Linear({n}, {m}{'' if bias else ', bias=False'}): {expr} = {derived:,}"
    if kind == "Embedding":
        v, d = module.num_embeddings, module.embedding_dim
        return v * d, f"nn.Embedding({v}, {d}): {v:,} x {d:,} = {v * d:,}"
    return None, NO_FORMULA


def _explain_torch(model) -> Explanation:
    from torch.nn.parameter import is_lazy

    if any(is_lazy(p) for p in model.parameters()):
        raise ValueError(
            f"model ({type(model).__name__}) has parameters that are not created yet (a lazy module "
            "such as nn.LazyLinear): run one forward pass on a batch first, then call explain again."
        )
    aliases: dict[int, list[str]] = {}
    for name, module in model.named_modules(remove_duplicate=False):
        aliases.setdefault(id(module), []).append(name)
    rows, seen = [], {}
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    for name, module in model.named_modules():
        params = list(module.parameters(recurse=False))
        if not params:
            continue
        shown = name or "(root)"
        kind, type_shown = _torch_kind(module)
        try:
            derived, formula = _torch_formula(module, kind)
        except (AttributeError, TypeError, ValueError) as exc:  # settings the course cannot read
            derived, formula = None, f"{NO_FORMULA} (could not read its settings: {exc})"
        notes = []
        others = [a for a in aliases[id(module)] if a != name]
        if others:
            notes.append(f"the same module is also used as {', '.join(others)} (counted once)")
        shared = [p for p in params if id(p) in seen]
        if shared:
            owners = ", ".join(sorted({seen[id(p)] for p in shared}))
            notes.append(f"shares {sum(p.numel() for p in shared):,} parameters with {owners} "
                         "(counted once)")
        for p in params:
            seen.setdefault(id(p), shown)
        rows.append(LayerExplanation(
            shown, type_shown, sum(p.numel() for p in params), derived, formula,
            frozen=sum(p.numel() for p in params if not p.requires_grad),
            shared=sum(p.numel() for p in shared), note="; ".join(notes)))
    model_type = getattr(model, "original_name", type(model).__name__)
    return Explanation("pytorch", f"PyTorch {model_type}", rows, frozen)


# --- the public function -------------------------------------------------------------------------

def _framework_of(model) -> str | None:
    """The registry name of the framework whose model class ``model`` is an instance of, or None.

    Only records with an ``explain`` walker are asked, and only a package that is imported already
    (``sys.modules``): a framework the user has not imported cannot have made ``model``.
    """
    for record in REGISTRY.values():
        package = sys.modules.get(record.model_package or "")
        if record.explain is None or package is None:
            continue
        base = package
        for attribute in record.model_base.split("."):
            base = getattr(base, attribute)
        if isinstance(model, base):
            return record.name
    return None


def explain(model) -> Explanation:
    """Where each number of a model's parameter count comes from, layer by layer.

    Parameters
    ----------
    model : keras.Model, keras layer or torch.nn.Module
        A built Keras model (Sequential, functional or subclassed) or a single built Keras layer; or
        any PyTorch module, TorchScript modules (``torch.jit.load``) included.

    Returns
    -------
    Explanation
        ``.rows``: one :class:`LayerExplanation` per layer (Keras, nested models opened) or module
        (PyTorch, by dotted name) that owns parameters, in model order, each with the framework's
        count, the course's formula with the numbers plugged in and whether the two agree;
        ``.total``: all parameters, shared ones once (equal to ``model.count_params()`` in Keras and
        ``sum(p.numel() for p in model.parameters())`` in PyTorch). ``print()`` gives aligned text;
        a notebook renders an HTML table.

    Raises
    ------
    ValueError
        A Keras model or layer that is not built yet (the message says how to build it), or a
        PyTorch module with lazy parameters not created yet.
    TypeError
        Anything that is neither a Keras layer/model nor a ``torch.nn.Module``.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.ModuleDict({"lstm": torch.nn.LSTM(3, 12, num_layers=6),
    ...                            "head": torch.nn.Linear(12, 1)})
    >>> e = explain(net)
    >>> e.total
    7069
    >>> print(e.rows[1].formula)
    nn.Linear(12, 1): 12 x 1 + 1 = 13
    """
    framework = _framework_of(model)
    if framework is not None:
        return resolve(get(framework).explain)(model)
    if isinstance(model, type):
        given = f"the class {model.__module__}.{model.__qualname__} itself (create the model first)"
    else:
        given = f"an object of type {type(model).__module__}.{type(model).__qualname__}"
    accepted = ", or ".join(record.model_words for record in REGISTRY.values() if record.explain)
    raise TypeError(f"model must be {accepted}; got {given}.")
