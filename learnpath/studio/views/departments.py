"""People admin: departments listed with their people, created, renamed and merged."""

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Department
from learnpath.models.base import pk
from learnpath.services.accounts import departments
from learnpath.services.accounts.users import AccountError
from learnpath.studio.blueprint import current_actor, people
from learnpath.studio.forms.people import DepartmentForm, MergeForm
from learnpath.studio.views.people import commit, show_error


def _department_or_404(department_id: int) -> Department:
    department = get_session().get(Department, department_id)
    if department is None:
        abort(404)
    return department


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{n} {place}" for place, n in counts.items() if place != departments.REPLAN_JOB
    )


def _next(counts: dict[str, int], page: str) -> WerkzeugResponse:
    """Back to the department page, or to the re-planning job's page if one was queued."""
    if departments.REPLAN_JOB in counts:
        flash("Re-planning their learners runs as this job; their plans follow shortly.")
        return redirect(url_for("studio.show_job", job_id=counts[departments.REPLAN_JOB]))
    return redirect(page)


@people.route("/departments", methods=["GET", "POST"])
def list_departments() -> str | WerkzeugResponse:
    """Every department with its learners and programs; a form to add one."""
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            made = commit(lambda: departments.create(get_session(), form.name.data or ""))
        except AccountError as error:
            show_error(form, error)
        else:
            flash(f"Department {made.name} added.")
            return redirect(url_for("studio.people.list_departments"))
    rows = departments.overview(get_session())
    return render_template("studio/people/departments.html", rows=rows, form=form)


def _page(department: Department, rename: DepartmentForm, merge: MergeForm) -> str:
    return render_template(
        "studio/people/department.html",
        department=department,
        rename=rename,
        merge=merge,
        places=list(departments.PLACES),
    )


def _merge_form(department: Department) -> MergeForm:
    form = MergeForm()
    others = [
        (pk(r.department), r.name)
        for r in departments.overview(get_session())
        if r.department is not None and pk(r.department) != pk(department)
    ]
    form.set_targets(others)
    return form


@people.route("/departments/<int:department_id>", methods=["GET", "POST"])
def show_department(department_id: int) -> str | WerkzeugResponse:
    """A department: rename it (everywhere its name lives) or merge it into another."""
    department = _department_or_404(department_id)
    form = DepartmentForm(name=department.name)
    if form.validate_on_submit():
        old = department.name
        try:
            counts = commit(
                lambda: departments.rename(
                    get_session(), department, form.name.data or "", current_actor()
                )
            )
        except AccountError as error:
            show_error(form, error)
        else:
            flash(f"Renamed {old} to {department.name}: {_counts(counts)}.")
            return _next(
                counts, url_for("studio.people.show_department", department_id=department_id)
            )
    return _page(department, form, _merge_form(department))


@people.route("/departments/<int:department_id>/merge", methods=["POST"])
def merge_department(department_id: int) -> str | WerkzeugResponse:
    """Move a department's people, audiences and rules into another; the first one goes."""
    department = _department_or_404(department_id)
    form = _merge_form(department)
    if form.validate_on_submit():
        target = _department_or_404(int(form.into.data))
        name = department.name
        try:
            counts = commit(
                lambda: departments.merge(get_session(), department, target, current_actor())
            )
        except AccountError as error:
            show_error(form, error)
        else:
            flash(f"Merged {name} into {target.name}: {_counts(counts)} moved.")
            return _next(counts, url_for("studio.people.show_department", department_id=target.id))
    return _page(department, DepartmentForm(name=department.name), form)
