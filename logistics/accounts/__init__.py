"""Users, roles, permissions and API tokens: who may do what."""
