"""The staff UI shell: login, navigation by role, the home page of tasks."""
