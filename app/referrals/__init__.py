"""SLRT pages and API: households, cases, referrals and their letters, queues and monitoring."""
