"""The demo's two logins: a superuser and one cooperative's staff member."""

from dataclasses import dataclass

from shop.models import Cooperative, User


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    password: str
    # False when someone changed the password after the demo set it.
    password_is_demo: bool
    cooperative: str = ""


def ensure_login(
    *,
    role: str,
    email: str,
    password: str,
    superuser: bool,
    cooperative: Cooperative | None,
    reset_password: bool = False,
) -> Login:
    """Create the user, or make an existing one able to sign in to the admin again.

    An existing user keeps a password they changed, unless `reset_password` is set or the
    password is unusable; their active, staff, superuser and cooperative flags are put back
    to the demo's. Writes at most one User row.
    """
    user = User.objects.filter(email=email).first()
    if user is None:
        extra = {"is_superuser": superuser, "cooperative": cooperative}
        User.objects.create_user(email, password, is_staff=True, **extra)
        return Login(role, email, password, True, cooperative.name if cooperative else "")

    wanted = {"is_active": True, "is_staff": True, "is_superuser": superuser}
    if cooperative is not None:
        wanted["cooperative_id"] = cooperative.pk
    changed = [field for field, value in wanted.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, wanted[field])
    if reset_password or not user.has_usable_password():
        user.set_password(password)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    is_demo = "password" in changed or user.check_password(password)
    return Login(role, email, password, is_demo, cooperative.name if cooperative else "")
