"""People: users with roles and passwords, and the embedded demo accounts."""
