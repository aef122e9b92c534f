"""The signed-in user's own API tokens: make one (shown once), see when each was used, revoke."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from . import db, tokens
from .auth import login_required
from .forms import RevokeTokenForm, TokenForm

bp = Blueprint("account", __name__)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens() -> Any:
    form = TokenForm()
    new_token = None
    conn = db.get_db()
    if form.validate_on_submit():
        _pk, new_token = tokens.create(conn, g.user, form.name.data)
        form.name.data = ""
    return render_template(
        "account/tokens.html",
        form=form,
        new_token=new_token,
        tokens=tokens.for_user(conn, g.user["id"]),
        revoke_form=RevokeTokenForm(formdata=None),
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int) -> Any:
    form = RevokeTokenForm()
    if not form.validate_on_submit():
        abort(400)
    name = tokens.revoke(db.get_db(), g.user, token_id)
    if name is None:
        abort(404)
    flash(f"The token ‘{name}’ is revoked. Scripts using it can no longer send returns.")
    return redirect(url_for("account.api_tokens"))
