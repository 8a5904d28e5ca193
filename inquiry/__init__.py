"""Inquiry: participatory action inquiry for peer-supported community groups."""

from __future__ import annotations

from pathlib import Path

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    from . import config

    config.load(app, test_config)
    if app.config["HTTPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    configure_extensions(app)
    configure_blueprints(app)
    configure_cli(app)
    return app


def configure_extensions(app: Flask) -> None:
    from . import i18n, models  # noqa: F401 - the whole schema, for Alembic
    from .core import bodies, database, errors, limits, security, templating
    from .extensions import csrf, db, limiter, login_manager, migrate

    bodies.init_app(app)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path) / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    limits.init_app(app, limiter)
    login_manager.init_app(app)
    from .accounts.queries import load_session_user

    login_manager.user_loader(load_session_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    from .reports import render

    render.init_app(app)


def configure_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts_bp
    from .actions.views import bp as actions_bp
    from .agenda.views import bp as agenda_bp
    from .agenda.views import members as topics_bp
    from .cycles.views import bp as cycles_bp
    from .groups.views import bp as groups_bp
    from .interchange.views import bp as interchange_bp
    from .printing.views import bp as printing_bp
    from .reports.views import bp as reports_bp
    from .responses.views import bp as responses_bp
    from .retention.views import bp as retention_bp
    from .retention.views import notices as notices_bp
    from .stories.member_views import members as tell_bp
    from .stories.views import bp as stories_bp

    app.register_blueprint(responses_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(groups_bp, url_prefix="/workspace")
    app.register_blueprint(cycles_bp, url_prefix="/workspace")
    app.register_blueprint(reports_bp, url_prefix="/workspace")
    app.register_blueprint(actions_bp, url_prefix="/workspace")
    app.register_blueprint(agenda_bp, url_prefix="/workspace")
    app.register_blueprint(printing_bp, url_prefix="/workspace")
    app.register_blueprint(interchange_bp, url_prefix="/workspace")
    app.register_blueprint(topics_bp)
    app.register_blueprint(notices_bp)
    app.register_blueprint(retention_bp, url_prefix="/workspace")
    app.register_blueprint(stories_bp, url_prefix="/workspace")
    app.register_blueprint(tell_bp)
    from .core.audit_views import bp as audit_bp

    app.register_blueprint(audit_bp, url_prefix="/workspace")


def configure_cli(app: Flask) -> None:
    from . import cli

    cli.init_app(app)
