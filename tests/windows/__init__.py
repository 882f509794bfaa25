"""Tests of Aurora's Windows build, run under Wine in a Debian 13 chroot."""
