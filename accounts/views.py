"""Sign in (rate limited), sign out and change one's password."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from accounts import throttle
from accounts.auth import HOME_ENDPOINTS
from accounts.forms import ChangePasswordForm, LoginForm
from accounts.services import authenticate, change_password, is_same_site_path
from core.db import db, now_utc, reads_first
from core.forms import ActionForm
from core.hashing import identity_hash_key, keyed_hash

bp = Blueprint("accounts", __name__)


def _home(user) -> str:
    return url_for(HOME_ENDPOINTS[user.role])


def _safe_next(target: str | None, user) -> str:
    return target if is_same_site_path(target) else _home(user)


@bp.route("/login", methods=["GET", "POST"])
@reads_first
def login():
    """Show the sign-in form and sign a user in; too many failures make the user wait."""
    form = LoginForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        limits = throttle.Limits.from_config(current_app.config)
        ip_hash = keyed_hash(identity_hash_key(current_app.config), request.remote_addr)
        now = now_utc()
        attempt = throttle.record_attempt(form.username.data, ip_hash, now, limits)
        db.session.commit()
        wait = throttle.wait_minutes(attempt, now, limits)
        if wait:
            throttle.forget_attempt(attempt)
            db.session.commit()
            flash(_("Too many failed sign-in attempts. Please wait %(minutes)d minutes and try "
                    "again.", minutes=wait), "error")
            return render_template("accounts/login.html", form=form), 429
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            throttle.clear_failures(form.username.data, ip_hash)
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next"), user), code=303)
        flash(_("Wrong username or password."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign the user out, ending the session on the server too: a copy of the cookie taken
    before no longer works (nor do the account's other sessions)."""
    if not ActionForm(request.form).validate():
        abort(400)
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@reads_first
@login_required
def password():
    """Change one's own password; the session stays signed in, other sessions are signed out."""
    form = ChangePasswordForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        if form.new.data == form.current.data:
            form.new.errors.append(_("Choose a password different from the current one."))
        elif change_password(current_user, form.current.data, form.new.data):
            db.session.commit()
            login_user(current_user._get_current_object())
            flash(_("Your password was changed."), "info")
            return redirect(_home(current_user), code=303)
        else:
            form.current.errors.append(_("This is not your current password."))
    return render_template("accounts/password.html", form=form)
