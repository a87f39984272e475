"""Token endpoints: exchange a password for a token, list and revoke one's own tokens."""

from __future__ import annotations

from datetime import timedelta

from flask_login import current_user

from app.api_support import ApiBlueprint, answers
from app.extensions import db
from app.pagination import keyset_page, page_schema
from app.security import authenticated_by_token, password_attempts, require
from logistics.accounts import operations as accounts
from logistics.accounts import queries as account_queries
from logistics.accounts.schemas import (
    IssuedTokenOut,
    LoginIn,
    TokenIn,
    TokenOut,
    TokenPageQuery,
    UserOut,
)

blp = ApiBlueprint("auth_api", __name__, url_prefix="/api/v1/auth",
                   description="Bearer tokens and the current user")

TokenPage = page_schema(TokenOut, "TokenPage")


def _issue_and_commit(user, data: dict, *, requested_with_token: bool) -> dict:
    """Issue a token and answer with its stored fields plus the secret, shown only here."""
    issued = accounts.issue_token(db.session, user=user, name=data["name"],
                                  valid_for=timedelta(days=data["days"]),
                                  requested_with_token=requested_with_token)
    db.session.commit()
    return {**{name: getattr(issued.token, name) for name in TokenOut().fields},
            "token": issued.secret}


@blp.post("/token")
@answers(429)
@password_attempts
@blp.arguments(LoginIn)
@blp.response(201, IssuedTokenOut)
@blp.doc(security=[])
def post_login_token(data):
    """Exchange username and password for a bearer token (shown once)."""
    user = accounts.authenticate(db.session, username=data["username"], password=data["password"])
    return _issue_and_commit(user, data, requested_with_token=False)  # the password was given


@blp.get("/me")
@require()
@blp.response(200, UserOut)
def get_me():
    """The user the request is authenticated as."""
    return current_user


@blp.get("/tokens")
@require()
@blp.arguments(TokenPageQuery, location="query")
@blp.response(200, TokenPage)
def get_tokens(args):
    """The caller's own tokens, newest first (secrets are never shown again)."""
    limit = args["limit"]
    rows = account_queries.page_tokens(db.session, current_user, after=args.get("after"),
                                       limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda token: str(token.id))


@blp.post("/tokens")
@answers(403)  # a token may not create tokens
@require()
@blp.arguments(TokenIn)
@blp.response(201, IssuedTokenOut)
def post_token(data):
    """Create another token for the caller (from a browser session, not with a token)."""
    return _issue_and_commit(current_user, data, requested_with_token=authenticated_by_token())


@blp.delete("/tokens/<int:token_id>")
@require()
@blp.response(204)
def delete_token(token_id: int):
    """Revoke one of the caller's tokens; it stops working at once."""
    accounts.revoke_token(db.session, user=current_user, token_id=token_id)
    db.session.commit()
