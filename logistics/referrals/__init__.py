"""SLRT: households and members, cases from Puskesos and disasters, referrals to programmes."""
