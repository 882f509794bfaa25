"""A stand-in for pip in the robustness sandbox: a package index that has nothing."""
