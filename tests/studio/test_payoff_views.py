"""The studio shows a program's latest payoff run beside its placement and serves its plot."""

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

RUN = {
    "program": "data-literacy-essentials",
    "title": "Data Literacy Essentials",
    "learners": 200,
    "correlation": 0.5,
    "seed": 1,
    "configured": {
        "items_mean": 12.25,
        "items_p90": 17.0,
        "saved_share": 0.423,
        "false_waivers": 9,
        "false_per_learner": 0.045,
        "missed_waivers": 31,
        "covered_share": 0.97,
    },
    "variants": [{"setting": "se_target=0.4"}, {"setting": "se_target=0.3"}],
}


def test_the_placement_links_the_latest_run_and_its_plot(
    app: Flask, client: FlaskClient, catalog: Session, login, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    app.config["PAYOFF_FOLDER"] = str(tmp_path)
    login("author")
    page = client.get("/studio/programs/data-literacy-essentials/v1").get_data(as_text=True)
    assert "No payoff simulation yet" in page
    (tmp_path / "data-literacy-essentials.json").write_text(json.dumps(RUN))
    (tmp_path / "data-literacy-essentials.svg").write_text("<svg></svg>")
    page = client.get("/studio/programs/data-literacy-essentials/v1").get_data(as_text=True)
    assert "12.2 questions per placement (p90 17), 42.3 % of study minutes saved" in page
    assert "9 false waivers (0.04 per learner)" in page and "97.0 %" in page
    assert 'href="/studio/programs/data-literacy-essentials/payoff.svg"' in page
    plot = client.get("/studio/programs/data-literacy-essentials/payoff.svg")
    assert plot.status_code == 200 and plot.mimetype == "image/svg+xml"
