"""The Discord side: a thin layer over the catalog, search and storage core."""
