from .models import Role
from .rules import _role


def role(request):
    """The user's role, for the navigation."""
    current = _role(request.user) if hasattr(request, "user") else None
    return {"user_role": current, "Role": Role}
