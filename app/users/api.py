"""User administration over the API (admins only)."""

from __future__ import annotations

from app.api_support import ApiBlueprint
from app.extensions import db
from app.pagination import keyset_page, page_schema
from app.security import require
from logistics.accounts import operations as accounts
from logistics.accounts import queries as account_queries
from logistics.accounts.roles import Permission
from logistics.accounts.schemas import UserIn, UserOut, UserPageQuery, UserUpdateIn

blp = ApiBlueprint("users_api", __name__, url_prefix="/api/v1/users",
                   description="User accounts (administrators only)")

UserPage = page_schema(UserOut, "UserPage")


@blp.get("/")
@require(Permission.MANAGE_USERS)
@blp.arguments(UserPageQuery, location="query")
@blp.response(200, UserPage)
def get_users(args):
    """Every account, by username."""
    limit = args["limit"]
    rows = account_queries.page_users(db.session, after=args.get("after"), limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda user: user.username)


@blp.post("/")
@require(Permission.MANAGE_USERS)
@blp.arguments(UserIn)
@blp.response(201, UserOut)
def post_user(data):
    """Create an account with one role."""
    user = accounts.create_user(db.session, **data)
    db.session.commit()
    return user


@blp.put("/<int:user_id>")
@require(Permission.MANAGE_USERS)
@blp.arguments(UserUpdateIn)
@blp.response(200, UserOut)
def put_user(data, user_id: int):
    """Replace an account's details, role and access; deactivating revokes its tokens."""
    user = account_queries.get_user(db.session, user_id)
    accounts.update_user(db.session, user=user, **data)
    db.session.commit()
    return user
