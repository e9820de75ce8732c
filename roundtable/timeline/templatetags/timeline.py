from django import template

from ..gates import phase_refusal

register = template.Library()


@register.inclusion_tag("timeline/_phase_notice.html", takes_context=True)
def phase_notice(context, capability: str, perm: str, obj=None):
    """A notice saying when ``perm`` opens, for those whom only the phase stops."""
    request = context.get("request")
    message = phase_refusal(request.user, perm, capability, obj) if request else None
    return {"message": message}
