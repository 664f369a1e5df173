"""The studio's assignment pages: preview, confirm, bad uploads, CSRF, a version's learners."""

import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.services.learning import enrolment, roster
from tests import factories
from tests.api.conftest import program

BASE = "/studio/programs/data-literacy-essentials/v1"


def finance(db: Session) -> list[Learner]:
    """Two learners in Finance and one in Sales, committed."""
    made = [
        factories.learner(db, external_id="F1", department="Finance"),
        factories.learner(db, external_id="F2", department="Finance"),
        factories.learner(db, external_id="S1", department="Sales"),
    ]
    db.commit()
    return made


def upload(text: str | bytes, name: str = "people.csv", **fields: str) -> dict[str, object]:
    data = text.encode() if isinstance(text, str) else text
    return {"how": "csv", "roster": (io.BytesIO(data), name), **fields}


def hidden(page: str) -> dict[str, str]:
    """The preview's confirm form, as the browser would send it back."""
    form = page.split('assign/confirm"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'name="([a-z_]+)" type="hidden" value="([^"]*)"', form))


def enrolled(db: Session) -> list[str]:
    rows = db.exec(
        select(Learner.external_id)
        .join(Enrollment, Enrollment.learner_id == Learner.id)  # type: ignore[arg-type]
        .where(Enrollment.status != "withdrawn")
    )
    return sorted(rows.all())


def test_a_csv_preview_names_unknown_rows_by_line_and_writes_nothing(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    login("facilitator", email="fay@example.com")
    before = factories.snapshot(catalog)
    response = client.post(
        f"{BASE}/assign",
        data=upload("email\nf1@example.com\nghost@example.com\nf2@example.com\n", due="2027-02-01"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 will be enrolled" in page
    assert re.search(r'<td class="num">3</td><td>ghost@example.com</td>', page)
    assert factories.snapshot(catalog) == before


def test_confirming_enrols_with_the_due_date_and_a_double_submit_enrols_nobody_twice(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    login("facilitator", email="fay@example.com")
    page = client.post(
        f"{BASE}/assign", data={"how": "department", "department": "Finance", "due": "2027-02-01"}
    ).get_data(as_text=True)
    form = hidden(page)
    response = client.post(f"{BASE}/assign/confirm", data=form)
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/learners")
    assert enrolled(catalog) == ["F1", "F2"]
    dues = {e.due_at.date().isoformat() for e in catalog.exec(select(Enrollment))}  # type: ignore[union-attr]
    assert dues == {"2027-02-01"}
    before = factories.snapshot(catalog)
    again = client.post(f"{BASE}/assign/confirm", data=form)
    assert again.status_code == 200 and "changed since the preview" in again.get_data(as_text=True)
    assert factories.snapshot(catalog) == before


def test_confirm_resolves_again_and_ignores_a_tampered_list(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    login("author")
    form = hidden(
        client.post(f"{BASE}/assign", data={"how": "department", "department": "Finance"}).get_data(
            as_text=True
        )
    )
    factories.learner(catalog, external_id="F3", department="Finance")  # joined meanwhile
    catalog.commit()
    response = client.post(f"{BASE}/assign/confirm", data={**form, "learner": "S1"})
    assert response.status_code == 200  # the preview again, now with F3
    assert "F3" in response.get_data(as_text=True) and enrolled(catalog) == []
    form = hidden(response.get_data(as_text=True))
    assert client.post(f"{BASE}/assign/confirm", data=form).status_code == 302
    assert enrolled(catalog) == ["F1", "F2", "F3"]


def test_bad_uploads_get_a_message_per_problem_and_nothing_is_written(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("admin", email="ada@example.com")
    before = factories.snapshot(catalog)
    cases = {
        "latin-1": (
            upload("email\nmüller@example.com\n".encode("latin-1")),
            "line 2: the file is not UTF-8",
        ),
        "no header": (upload("f1@example.com\n"), "line 1: the header row must name"),
        "duplicate": (upload("email\na@x.org\na@x.org\n"), "line 3: repeats line 2"),
        "formula": (upload("email\n=cmd|&#39; /C calc&#39;!A0\n"), "line 2: the cell"),
        "no file": ({"how": "csv"}, "Choose a CSV file."),
        "no person": ({"how": "person", "person": " "}, "Type an e-mail address"),
    }
    for name, (data, message) in cases.items():
        if name == "formula":
            data = upload("email\n=cmd|' /C calc'!A0\n")
        response = client.post(f"{BASE}/assign", data=data)
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True), name
    assert factories.snapshot(catalog) == before


def test_a_file_over_ten_megabytes_gets_a_clear_message(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    just_over = b"email\n" + b"x" * (roster.MAX_BYTES)
    response = client.post(f"{BASE}/assign", data=upload(just_over))
    assert response.status_code == 422
    assert "the file is larger than 10 MB" in response.get_data(as_text=True)
    far_over = b"email\n" + b"x" * (roster.MAX_BYTES + 200_000)
    response = client.post(f"{BASE}/assign", data=upload(far_over))
    assert response.status_code == 413
    assert "larger than 10 MB: nothing was read" in response.get_data(as_text=True)


def test_a_draft_takes_no_learners(client: FlaskClient, catalog: Session, login) -> None:  # type: ignore[no-untyped-def]
    draft = factories.boxed_program(catalog, ["dl-data-types"], publish=False)
    catalog.commit()
    login("author")
    url = f"/studio/programs/{draft.slug}/v1/assign"
    response = client.get(url, follow_redirects=True)
    assert "Only a published version takes learners; this one is draft." in response.get_data(
        as_text=True
    )


def test_the_assign_form_keeps_csrf_on(app: Flask, catalog: Session, client, login) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    login("facilitator", email="fay@example.com")
    app.config["WTF_CSRF_ENABLED"] = True
    data = {"how": "department", "department": "Finance"}
    assert client.post(f"{BASE}/assign", data=data).status_code == 400
    page = client.get(f"{BASE}/assign").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    preview = client.post(f"{BASE}/assign", data={**data, "csrf_token": token})
    form = hidden(preview.get_data(as_text=True))
    assert form["csrf_token"]
    refused = client.post(f"{BASE}/assign/confirm", data={**form, "csrf_token": "forged"})
    assert refused.status_code == 400 and enrolled(catalog) == []
    assert client.post(f"{BASE}/assign/confirm", data=form).status_code == 302
    assert enrolled(catalog) == ["F1", "F2"]


def _enrolment(db: Session, external_id: str = "F1") -> Enrollment:
    learner = db.exec(select(Learner).where(Learner.external_id == external_id)).one()
    row, _ = enrolment.enrol(db, learner, program(db), "api")
    db.commit()
    return row


def test_learners_page_withdraws_and_enrols_again_keeping_the_row(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    row = _enrolment(catalog)
    login("facilitator", email="fay@example.com")
    assert "Learner F1" in client.get(f"{BASE}/learners").get_data(as_text=True)
    assert client.post(f"{BASE}/learners/{row.id}/withdraw").status_code == 302
    catalog.refresh(row)
    assert row.status == "withdrawn"
    assert "Enrol again" in client.get(f"{BASE}/learners").get_data(as_text=True)
    assert client.post(f"{BASE}/learners/{row.id}/enrol").status_code == 302
    catalog.refresh(row)
    assert row.status == "assigned" and len(catalog.exec(select(Enrollment)).all()) == 1


def test_due_dates_one_by_one_and_for_the_cohort(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    first, second = _enrolment(catalog, "F1"), _enrolment(catalog, "F2")
    login("author")
    client.post(f"{BASE}/learners/{first.id}/due", data={"due": "2027-05-01"})
    catalog.refresh(first)
    assert first.due_at is not None and first.due_at.date().isoformat() == "2027-05-01"
    client.post(f"{BASE}/learners/due", data={"due": "2027-06-30"})
    for row in (first, second):
        catalog.refresh(row)
        assert row.due_at is not None and row.due_at.date().isoformat() == "2027-06-30"
    before = factories.snapshot(catalog)
    page = client.post(f"{BASE}/learners/due", data={"due": "soon"}, follow_redirects=True)
    assert "give a date as YYYY-MM-DD" in page.get_data(as_text=True)
    assert factories.snapshot(catalog) == before


def test_another_versions_enrollment_is_not_found_here(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    row = _enrolment(catalog)
    login("author")
    other = "/studio/programs/information-security-basics/v1"
    assert client.post(f"{other}/learners/{row.id}/withdraw").status_code == 404
    catalog.refresh(row)
    assert row.status == "assigned"


def test_self_enrolment_is_set_with_its_name_beside_the_field(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator", email="fay@example.com")
    response = client.post(f"{BASE}/self-enrol", data={"audience": "department", "name": ""})
    assert response.status_code == 422
    assert "name the department whose learners may enrol" in response.get_data(as_text=True)
    client.post(f"{BASE}/self-enrol", data={"audience": "department", "name": " Finance "})
    chosen = catalog.get(Program, pk(program(catalog)))
    catalog.refresh(chosen)
    assert chosen is not None and (chosen.self_enrol, chosen.self_enrol_name) == (
        "department",
        "Finance",
    )
    client.post(f"{BASE}/self-enrol", data={"audience": "", "name": "Finance"})
    catalog.refresh(chosen)
    assert (chosen.self_enrol, chosen.self_enrol_name) == ("", "")


def test_the_learners_page_is_paged_on_the_server(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    made = [factories.learner(catalog, external_id=f"P{i:03d}") for i in range(101)]
    enrolment.enrol_many(catalog, made, program(catalog), "admin")
    catalog.commit()
    login("author")
    first = client.get(f"{BASE}/learners").get_data(as_text=True)
    assert "Enrollments 1–100 of 101 · page 1 of 2" in first and "Learner P099" in first
    assert "Learner P100" not in first
    last = client.get(f"{BASE}/learners?page=9").get_data(as_text=True)
    assert "page 2 of 2" in last and "Learner P100" in last and "Learner P000" not in last


def test_a_learner_posting_the_assignment_forms_gets_403_and_nothing_changes(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    finance(catalog)
    row = _enrolment(catalog, "F2")
    staff = app.test_client()
    factories.user(catalog, email="fay@example.com", roles=["facilitator"])
    catalog.commit()
    staff.post("/auth/login", data={"email": "fay@example.com", "password": factories.PASSWORD})
    page = staff.post(f"{BASE}/assign", data={"how": "department", "department": "Finance"})
    form = hidden(page.get_data(as_text=True))  # a genuine preview's confirm form
    login("learner")
    before = factories.snapshot(catalog)
    posts = {
        f"{BASE}/assign": {"how": "department", "department": "Finance"},
        f"{BASE}/assign/confirm": form,
        f"{BASE}/learners/{row.id}/withdraw": {},
        f"{BASE}/learners/{row.id}/due": {"due": "2027-01-01"},
        f"{BASE}/learners/due": {"due": "2027-01-01"},
        f"{BASE}/self-enrol": {"audience": "everyone"},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == 403, url
    assert factories.snapshot(catalog) == before
    assert staff.post(f"{BASE}/assign/confirm", data=form).status_code == 302  # the form was good
    assert enrolled(catalog) == ["F1", "F2"]
