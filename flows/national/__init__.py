"""The national catalog (stand-in for the GD Catalog) that harvests the agency catalog."""
