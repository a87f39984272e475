"""Lumbung Siaga's domain core: stock, roster, emergencies, referrals. Knows nothing of HTTP."""
