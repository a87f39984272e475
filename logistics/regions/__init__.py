"""Kemendagri regions: provinsi, kabupaten/kota, kecamatan, desa/kelurahan, with geometry."""
