"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from accounts.forms import LoginForm
from accounts.services import authenticate
from core.forms import ActionForm

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("admin.organisation")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign a user in."""
    form = LoginForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), code=303)
        flash(_("Wrong username or password."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign the user out."""
    if not ActionForm(request.form).validate():
        abort(400)
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"), code=303)
