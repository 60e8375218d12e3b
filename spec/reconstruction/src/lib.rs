//! No code: this package holds the tests that pin our reconstruction of the published Fotbo
//! spec (`spec/fotbo-1.0.5.json`, written by `build.py` here) — its 131 reference operations,
//! its sources and its published oddities. They test that file by name, so they keep holding
//! when `cargo xtask fetch` brings another spec and spec/ACTIVE moves on.
