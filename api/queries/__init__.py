"""Every SQL statement the online side (JSON routes and pages, through api/services or directly for plain
reads) runs, one module per resource; a route or service never holds SQL of its own."""
