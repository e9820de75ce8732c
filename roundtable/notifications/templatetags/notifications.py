from django import template

from .. import registry, selectors

register = template.Library()


def follow_dom_id(label: str, pk) -> str:
    return f"follow-{label.replace('.', '-')}-{pk}"


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, target):
    """The follow / unfollow button for ``target`` (one query), if it can be followed."""
    user = context["user"]
    followable = registry.followable_for(target)
    allowed = (
        followable is not None
        and user.has_perm("notifications.add_follow")
        and user.has_perm(followable.view_permission, target)
    )
    return {
        "allowed": allowed,
        "target": target,
        "label": followable.label if followable else "",
        "dom_id": follow_dom_id(followable.label, target.pk) if followable else "",
        "following": allowed and selectors.is_following(user=user, target=target),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
