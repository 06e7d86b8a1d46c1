"""Reports of a check run: build, drift, problems, delivery by email or webhook."""
