//! Inputs the fuzz targets found, kept as ordinary tests.
