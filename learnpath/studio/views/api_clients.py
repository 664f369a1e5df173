"""HR API clients (admins): list, create, change scopes, rotate the secret, revoke, reactivate.

A new or rotated secret is shown once, in the answer to the POST that made it: it is stored
only as a hash, so no later page (nor a redirect's cookie) could show it. That answer is
marked no-store; the browser's "resubmit?" warning guards against a second client.
"""

from flask import abort, flash, make_response, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import ApiClient
from learnpath.services.integration import client_admin
from learnpath.services.integration.clients import ClientError, create_client
from learnpath.studio.access import admin_only
from learnpath.studio.blueprint import bp
from learnpath.studio.forms.admin import ApiClientForm
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.views.common import save


def _client_or_404(client_id: str) -> ApiClient:
    client = client_admin.find(get_session(), client_id)
    if client is None:
        abort(404)
    return client


def _secret_page(client: ApiClient, secret: str, rotated: bool) -> WerkzeugResponse:
    page = render_template(
        "studio/api_client_secret.html", client=client, secret=secret, rotated=rotated
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api-clients")
@admin_only
def list_api_clients() -> str:
    """Every API client with its scopes, status, last use and live tokens."""
    return render_template("studio/api_clients.html", rows=client_admin.list_clients(get_session()))


@bp.route("/api-clients/new", methods=["GET", "POST"])
@admin_only
def new_api_client() -> str | WerkzeugResponse:
    """Create a client with the scopes chosen; its secret is shown once."""
    form = ApiClientForm()
    if form.validate_on_submit():
        try:
            made = save(
                ApiClient,
                None,
                lambda: create_client(get_session(), form.name.data or "", form.scope_text()),
            )
        except ClientError as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            return _secret_page(made[0], made[1], rotated=False)
    return render_template("studio/api_client_edit.html", form=form, client=None)


@bp.route("/api-clients/<client_id>")
@admin_only
def show_api_client(client_id: str) -> str:
    """A client: scopes, status, tokens, and the buttons that change them."""
    client = _client_or_404(client_id)
    live = client_admin.live_tokens(get_session(), client)
    return render_template("studio/api_client.html", client=client, live_tokens=live)


@bp.route("/api-clients/<client_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_api_client(client_id: str) -> str | WerkzeugResponse:
    """Rename a client or change its scopes (fewer scopes narrow its live tokens at once)."""
    client = _client_or_404(client_id)
    form = ApiClientForm(obj=client)
    if not form.is_submitted():
        form.scopes.data = client.scopes.split()
    if form.validate_on_submit():
        name, scopes = form.name.data or "", form.scope_text()
        try:
            save(
                ApiClient,
                client.id,
                lambda: client_admin.change(get_session(), client, name, scopes),
            )
        except ClientError as error:
            form.scopes.errors = [*form.scopes.errors, str(error)]
        else:
            flash(f"Saved {client.name}.")
            return redirect(url_for("studio.show_api_client", client_id=client.client_id))
    return render_template("studio/api_client_edit.html", form=form, client=client)


@bp.route("/api-clients/<client_id>/rotate", methods=["POST"])
@admin_only
def rotate_api_client(client_id: str) -> WerkzeugResponse:
    """A new secret, shown once; the old secret and every token issued so far stop working."""
    client = _client_or_404(client_id)
    if not RevisionForm().validate_on_submit():
        abort(400)
    secret = save(ApiClient, client.id, lambda: client_admin.rotate_secret(get_session(), client))
    return _secret_page(client, secret, rotated=True)


@bp.route("/api-clients/<client_id>/revoke", methods=["POST"])
@admin_only
def revoke_api_client(client_id: str) -> WerkzeugResponse:
    """Revoke a client: no new tokens, and the ones it holds stop working at once."""
    client = _client_or_404(client_id)
    if RevisionForm().validate_on_submit() and client.active:
        save(ApiClient, client.id, lambda: client_admin.revoke(get_session(), client))
        flash(f"Revoked {client.name}: its tokens no longer work.")
    return redirect(url_for("studio.show_api_client", client_id=client.client_id))


@bp.route("/api-clients/<client_id>/reactivate", methods=["POST"])
@admin_only
def reactivate_api_client(client_id: str) -> WerkzeugResponse:
    """Let a revoked client ask for tokens again (its old tokens stay revoked)."""
    client = _client_or_404(client_id)
    if RevisionForm().validate_on_submit() and not client.active:
        save(ApiClient, client.id, lambda: client_admin.reactivate(get_session(), client))
        flash(f"Reactivated {client.name}: it can ask for new tokens; old ones stay revoked.")
    return redirect(url_for("studio.show_api_client", client_id=client.client_id))
