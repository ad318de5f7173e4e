//! Runnable examples of the workspace live in `examples/examples/`; this library is empty.
