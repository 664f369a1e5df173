"""py-irt 2PL estimation of a person × item matrix by stochastic variational inference."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyro
import pyro.distributions as dist
import torch
from py_irt.models.two_param_logistic import TwoParamLog
from pyro.infer import SVI, Trace_ELBO

Progress = Callable[[int, int], None]
PRIORS = ("hierarchical", "informative", "vague")
AVERAGED = ("loc_slope", "scale_slope", "loc_diff", "scale_diff", "loc_ability")
AVERAGE_SHARE = 0.25  # parameters are averaged over the last quarter of the epochs


@dataclass(frozen=True)
class Plateau:
    """Stop when the mean loss of the last window is within a relative tolerance of the one
    before (the last window of iterates is then averaged)."""

    window: int = 100
    tolerance: float = 0.002


@dataclass
class Fit:
    """Posterior means and SDs of a 2PL fit, with the loss history of the optimiser."""

    a: np.ndarray
    b: np.ndarray
    se_a: np.ndarray
    se_b: np.ndarray
    theta: np.ndarray
    losses: list[float] = field(default_factory=list)
    priors: str = "hierarchical"
    seed: int = 0
    epochs: int = 0


class InformativeTwoParamLog(TwoParamLog):
    """py-irt's 2PL with priors centred on the current (expert) a and b of each item."""

    def __init__(
        self,
        *,
        prior_a: np.ndarray,
        prior_b: np.ndarray,
        sd_log_a: float | np.ndarray = 0.3,
        sd_b: float | np.ndarray = 1.0,
        **kwargs: object,
    ) -> None:
        """Remember the prior centres; the guide is py-irt's hierarchical one minus hyperpriors."""
        super().__init__(priors="vague", **kwargs)
        self.prior_log_a = torch.tensor(np.log(prior_a), dtype=torch.float)
        self.prior_b = torch.tensor(prior_b, dtype=torch.float)
        self.sd_log_a = torch.as_tensor(sd_log_a, dtype=torch.float)
        self.sd_b = torch.as_tensor(sd_b, dtype=torch.float)

    def model_informative(
        self, subjects: torch.Tensor, items: torch.Tensor, obs: torch.Tensor
    ) -> None:
        """θ ~ N(0, 1), b ~ N(b₀, σ_b), a ~ LogNormal(log a₀, σ_log a)."""
        with pyro.plate("thetas", self.num_subjects):
            ability = pyro.sample("theta", dist.Normal(0.0, 1.0))
        with pyro.plate("bs", self.num_items):
            diff = pyro.sample("b", dist.Normal(self.prior_b, self.sd_b))
            slope = pyro.sample("a", dist.LogNormal(self.prior_log_a, self.sd_log_a))
        with pyro.plate("observe_data", obs.size(0)):
            pyro.sample(
                "obs",
                dist.Bernoulli(logits=slope[items] * (ability[subjects] - diff[items])),
                obs=obs,
            )

    def guide_informative(
        self, subjects: torch.Tensor, items: torch.Tensor, obs: torch.Tensor
    ) -> None:
        """Mean-field normal guide for θ and b, log-normal for a, started at the prior centres."""
        positive = dist.constraints.positive
        m_theta = pyro.param("loc_ability", torch.zeros(self.num_subjects))
        s_theta = pyro.param("scale_ability", torch.ones(self.num_subjects), constraint=positive)
        m_b = pyro.param("loc_diff", self.prior_b.clone())
        s_b = pyro.param("scale_diff", torch.full((self.num_items,), 0.3), constraint=positive)
        m_a = pyro.param("loc_slope", self.prior_log_a.clone())
        s_a = pyro.param("scale_slope", torch.full((self.num_items,), 0.3), constraint=positive)
        with pyro.plate("thetas", self.num_subjects):
            pyro.sample("theta", dist.Normal(m_theta, s_theta))
        with pyro.plate("bs", self.num_items):
            pyro.sample("b", dist.Normal(m_b, s_b))
            pyro.sample("a", dist.LogNormal(m_a, s_a))

    def get_model(self):
        """The informative model."""
        return self.model_informative

    def get_guide(self):
        """The informative guide."""
        return self.guide_informative


def _observations(matrix: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Long format (person, item, 0/1) of the presented cells; NaN means not presented."""
    persons, items = np.nonzero(~np.isnan(matrix))
    obs = matrix[persons, items]
    return (
        torch.tensor(persons, dtype=torch.long),
        torch.tensor(items, dtype=torch.long),
        torch.tensor(obs, dtype=torch.float),
    )


def _model(
    shape: tuple[int, int],
    priors: str,
    prior_a: np.ndarray | None,
    prior_b: np.ndarray | None,
    sd_log_a: float | np.ndarray,
    sd_b: float | np.ndarray,
) -> TwoParamLog:
    """py-irt's 2PL with its own priors, or the informative one centred on (prior_a, prior_b)."""
    n_persons, n_items = shape
    if priors != "informative":
        return TwoParamLog(priors=priors, num_items=n_items, num_subjects=n_persons)
    return InformativeTwoParamLog(
        prior_a=prior_a if prior_a is not None else np.ones(n_items),
        prior_b=prior_b if prior_b is not None else np.zeros(n_items),
        sd_log_a=sd_log_a,
        sd_b=sd_b,
        num_items=n_items,
        num_subjects=n_persons,
    )


def fit_2pl(
    matrix: np.ndarray,
    *,
    priors: str = "hierarchical",
    seed: int = 0,
    epochs: int = 1500,
    lr: float = 0.1,
    lr_decay: float = 0.996,
    prior_a: np.ndarray | None = None,
    prior_b: np.ndarray | None = None,
    prior_sd_log_a: float | np.ndarray = 0.3,
    prior_sd_b: float | np.ndarray = 1.0,
    progress: Progress | None = None,
    stop: Plateau | None = None,
) -> Fit:
    """Fit py-irt's 2PL to a persons × items matrix of 1/0/NaN; deterministic for a seed.

    With `stop`, the optimiser ends early once the loss has plateaued (checked every 25 steps).
    """
    if priors not in PRIORS:
        raise ValueError(f"priors must be one of {PRIORS}")
    # One thread keeps CPU kernels deterministic for a seed. Not use_deterministic_algorithms:
    # it imports torch's compiler (inductor) to set a flag, seconds of CPU for nothing on CPU.
    torch.set_num_threads(1)
    pyro.set_rng_seed(seed)
    pyro.clear_param_store()
    model = _model(matrix.shape, priors, prior_a, prior_b, prior_sd_log_a, prior_sd_b)
    optimiser = pyro.optim.ClippedAdam({"lr": lr, "lrd": lr_decay})
    svi = SVI(model.get_model(), model.get_guide(), optimiser, loss=Trace_ELBO())
    data = _observations(matrix)
    losses: list[float] = []
    # Polyak averaging of the last iterates damps the SVI noise
    kept: deque[dict[str, np.ndarray]] = deque(
        maxlen=stop.window if stop else max(1, int(epochs * AVERAGE_SHARE))
    )
    for epoch in range(epochs):
        losses.append(float(svi.step(*data)))
        store = pyro.get_param_store()
        kept.append({name: store[name].detach().numpy().astype(float) for name in AVERAGED})
        checkpoint = epoch % 25 == 24 or epoch == epochs - 1
        if progress is not None and checkpoint:
            progress(epoch + 1, epochs)
        if stop is not None and checkpoint and plateaued(losses, stop.window, stop.tolerance):
            break
    mean = {name: np.mean([k[name] for k in kept], axis=0) for name in AVERAGED}
    scale_a = mean["scale_slope"]
    a = np.exp(mean["loc_slope"] + scale_a**2 / 2)
    return Fit(
        a=a,
        b=mean["loc_diff"],
        se_a=np.sqrt(np.expm1(scale_a**2)) * a,
        se_b=mean["scale_diff"],
        theta=mean["loc_ability"],
        losses=losses,
        priors=priors,
        seed=seed,
        epochs=len(losses),
    )


def plateaued(losses: list[float], window: int = 100, tolerance: float = 0.002) -> bool:
    """Whether the mean loss of the last window is within a relative tolerance of the one before."""
    if len(losses) < 2 * window:
        return False
    last, before = np.mean(losses[-window:]), np.mean(losses[-2 * window : -window])
    return bool(abs(before - last) <= tolerance * abs(before))
