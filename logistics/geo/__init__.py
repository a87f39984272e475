"""Map data (issue 20): the plain rows of `maps.rows`, filled from the database in a fixed
number of queries, with nothing personal in them."""
