//! rop-api
