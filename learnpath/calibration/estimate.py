"""py-irt 2PL estimation of a person × item matrix by stochastic variational inference."""

from __future__ import annotations

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
) -> Fit:
    """Fit py-irt's 2PL to a persons × items matrix of 1/0/NaN; deterministic for a seed."""
    if priors not in PRIORS:
        raise ValueError(f"priors must be one of {PRIORS}")
    n_persons, n_items = matrix.shape
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    pyro.set_rng_seed(seed)
    pyro.clear_param_store()
    model: TwoParamLog
    if priors == "informative":
        centre_a = prior_a if prior_a is not None else np.ones(n_items)
        centre_b = prior_b if prior_b is not None else np.zeros(n_items)
        model = InformativeTwoParamLog(
            prior_a=centre_a,
            prior_b=centre_b,
            sd_log_a=prior_sd_log_a,
            sd_b=prior_sd_b,
            num_items=n_items,
            num_subjects=n_persons,
        )
    else:
        model = TwoParamLog(priors=priors, num_items=n_items, num_subjects=n_persons)
    subjects, items, obs = _observations(matrix)
    optimiser = pyro.optim.ClippedAdam({"lr": lr, "lrd": lr_decay})
    svi = SVI(model.get_model(), model.get_guide(), optimiser, loss=Trace_ELBO())
    losses: list[float] = []
    averaged = {name: np.zeros(0) for name in AVERAGED}
    start = epochs - max(1, int(epochs * AVERAGE_SHARE))
    for epoch in range(epochs):
        losses.append(float(svi.step(subjects, items, obs)))
        if epoch >= start:  # Polyak averaging of the last iterates damps the SVI noise
            store = pyro.get_param_store()
            for name in AVERAGED:
                value = store[name].detach().numpy().astype(float)
                averaged[name] = averaged[name] + value if averaged[name].size else value.copy()
        if progress is not None and (epoch % 25 == 24 or epoch == epochs - 1):
            progress(epoch + 1, epochs)
    mean = {name: total / (epochs - start) for name, total in averaged.items()}
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
        epochs=epochs,
    )


def plateaued(losses: list[float], window: int = 100, tolerance: float = 0.002) -> bool:
    """Whether the mean loss of the last window is within a relative tolerance of the one before."""
    if len(losses) < 2 * window:
        return False
    last, before = np.mean(losses[-window:]), np.mean(losses[-2 * window : -window])
    return bool(abs(before - last) <= tolerance * abs(before))
