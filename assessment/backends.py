"""The authentication backend: Django's own, loading the signed-in user together with what
two-factor authentication asks of them (see selectors.users_with_two_factor_facts)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from assessment.selectors.accounts import users_with_two_factor_facts

        user = users_with_two_factor_facts().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
